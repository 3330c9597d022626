import { ref } from 'vue'

import { monthOf, parsePeriod, type Period } from '@/lib/periods'

// The month the API is in. It starts as the browser's month; a default answer of the API (the
// rankings of "the current period") corrects it, since the server's clock is the one that counts
// (locally a demo clock can be ahead of the browser's).
const current = ref<Period>(monthOf(new Date()))

function later(a: Period, b: Period): boolean {
  return a.year * 12 + a.number > b.year * 12 + b.number
}

export function useCurrentMonth() {
  /** Learns the API's current month from a month it called current. */
  function learn(month: string): void {
    const parsed = parsePeriod(month)
    if (parsed?.granularity === 'month' && later(parsed, current.value)) current.value = parsed
  }
  return { current, learn }
}
