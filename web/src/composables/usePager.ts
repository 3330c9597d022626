import { computed, reactive, ref } from 'vue'

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

  const next = () => run(() => pager.next())
  const previous = () => run(() => pager.previous())
  const setLimit = (value: number) => {
    pager.limit = value
    return run(() => pager.first())
  }
  /** PagerBar's props and listeners: `<PagerBar v-bind="pagerBar" />` (one list page, one binding). */
  const pagerBar = computed(() => ({
    index: pager.index,
    hasPrevious: pager.hasPrevious,
    hasNext: pager.hasNext,
    limit: pager.limit,
    loading: loading.value,
    onPrevious: previous,
    onNext: next,
    onLimit: setLimit,
  }))

  return {
    pager,
    loading,
    error,
    pagerBar,
    first: () => run(() => pager.first()),
    next,
    previous,
    reload: () => run(() => pager.reload()),
    setLimit,
  }
}
