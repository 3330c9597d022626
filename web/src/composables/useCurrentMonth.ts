import { computed, ref } from 'vue'

import { parsePeriod, type Period } from '@/lib/periods'

import { useServerClock } from './useServerClock'

// The month the API is in: the server's month (GET /clock), never the browser's (locally a demo
// clock can be ahead of it, and an office PC's clock can be wrong). A default answer of the API
// ("the current period") can only move it later. Null until the server's time is known.
const learned = ref<Period | null>(null)

function later(a: Period, b: Period): boolean {
  return a.year * 12 + a.number > b.year * 12 + b.number
}

export function useCurrentMonth() {
  const { month, ready } = useServerClock()
  const current = computed<Period | null>(() => {
    const server = parsePeriod(month.value)
    const known = server?.granularity === 'month' ? server : null
    if (known && learned.value) return later(learned.value, known) ? learned.value : known
    return known ?? learned.value
  })
  /** Learns the API's current month from a month it called current. */
  function learn(text: string): void {
    const parsed = parsePeriod(text)
    if (parsed?.granularity === 'month' && (!learned.value || later(parsed, learned.value))) learned.value = parsed
  }
  return { current, learn, ready }
}
