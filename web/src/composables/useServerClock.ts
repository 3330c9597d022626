import { computed, shallowRef } from 'vue'

import type { ServerTime } from '@/api/types'
import { services } from '@/services'

// One clock: "now", "today", the default year and the current month come from the server
// (GET /clock, read once per page load), never from the browser, whose clock may be wrong (an
// office PC's, or locally the demo clock moved ahead). Due colours and time left are not computed
// here at all: the API's views carry them.

const time = shallowRef<ServerTime | null>(null)
let loading: Promise<ServerTime> | null = null

/** The server's time (fetched once; a failed fetch is tried again next time). */
export function loadServerTime(): Promise<ServerTime> {
  if (time.value) return Promise.resolve(time.value)
  loading ??= services()
    .api.serverTime()
    .then((answer) => (time.value = answer))
    .finally(() => (loading = null))
  return loading
}

export function useServerClock() {
  void loadServerTime().catch(() => undefined) // pages show no default until it is known
  return {
    time,
    /** "YYYY-MM-DD", the city's day on the server; null until known. */
    today: computed(() => time.value?.today ?? null),
    year: computed(() => time.value?.year ?? null),
    /** "YYYY-MM", the evaluation's current month. */
    month: computed(() => time.value?.month ?? null),
    /** The server's today as a local Date, for date pickers' `default-value` (the month they open on). */
    pickerDefault: computed(() => (time.value ? new Date(`${time.value.today}T00:00:00`) : undefined)),
    ready: loadServerTime,
  }
}

/** For tests: forget the fetched time. */
export function resetServerTime(): void {
  time.value = null
  loading = null
}
