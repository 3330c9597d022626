import { ref, shallowRef } from 'vue'

import { ApiError, messageOf } from '@/api/errors'

/** Loads something from the API, keeping the last value, the loading flag and the error. */
export function useLoader<T, A extends unknown[]>(load: (...args: A) => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  const status = ref<number | null>(null)
  let generation = 0

  async function run(...args: A): Promise<T | null> {
    const mine = ++generation
    loading.value = true
    error.value = null
    status.value = null
    try {
      const value = await load(...args)
      if (mine === generation) data.value = value
      return value
    } catch (caught) {
      if (mine === generation) {
        error.value = messageOf(caught)
        status.value = caught instanceof ApiError ? caught.status : null
      }
      return null
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  return { data, loading, error, status, run }
}
