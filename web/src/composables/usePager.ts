import { reactive, ref } from 'vue'

import { messageOf } from '@/api/errors'
import { CursorPager, type PageLoader } from '@/lib/pager'

/** A CursorPager made reactive, with loading and error state for the page. */
export function usePager<T>(loader: PageLoader<T>, limit = 20) {
  const pager = reactive(new CursorPager<T>(loader, limit)) as CursorPager<T>
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function run(operation: () => Promise<void>): Promise<void> {
    loading.value = true
    error.value = null
    try {
      await operation()
    } catch (caught) {
      error.value = messageOf(caught)
    } finally {
      loading.value = false
    }
  }

  return {
    pager,
    loading,
    error,
    first: () => run(() => pager.first()),
    next: () => run(() => pager.next()),
    previous: () => run(() => pager.previous()),
    reload: () => run(() => pager.reload()),
    setLimit: (value: number) => {
      pager.limit = value
      return run(() => pager.first())
    },
  }
}
