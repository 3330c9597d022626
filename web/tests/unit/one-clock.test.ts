// One clock: no page decides a due colour, a time left or what "today" is from the browser's clock
// (an office PC's clock can be wrong; locally the demo clock runs ahead). The server's answer (the
// views' due fields, GET /clock) decides. This guard scans the SPA's sources for the browser's clock.

import { describe, expect, it } from 'vitest'

// Every source of the SPA, as text (Vite reads them at collection time).
const SOURCES: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob('../../src/**/*.{ts,vue,js,mjs}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>).map(
    ([path, text]) => [path.replace('../../src/', ''), text],
  ),
)

/** Ways to read the browser's wall clock. `new Date(x)` of a given value is fine. */
const BROWSER_CLOCK: [string, RegExp][] = [
  ['new Date()', /\bnew\s+Date\s*\(\s*\)/],
  ['new Date without arguments', /\bnew\s+Date\b(?!\s*\()/],
  ['Date.now()', /\bDate\s*\.\s*now\s*\(/],
  ['dayjs()', /\bdayjs\s*\(\s*\)/],
  ['moment()', /\bmoment\s*\(\s*\)/],
  ['Temporal.Now', /\bTemporal\s*\.\s*Now\b/],
]

/** The only places that may read it, and why none of them is a due colour, a time left or a "today". */
const ALLOWED: Record<string, string> = {
  // A signed-in session's token expiry is the identity provider's business, checked against the
  // token's own `exp` (refreshed early; the API rejects an expired token whatever the browser says).
  'auth/session.ts': 'token refresh timing',
  // A unique key for a file being uploaded, never shown.
  'components/AttachmentPicker.vue': 'list key',
}

function browserClockUses(text: string): string[] {
  return BROWSER_CLOCK.filter(([, pattern]) => pattern.test(text)).map(([name]) => name)
}

describe('one clock', () => {
  it('recognises every way of reading the browser clock, and not dates of given values', () => {
    expect(browserClockUses('const now = ref(new Date())')).toEqual(['new Date()'])
    expect(browserClockUses('const d = new Date;')).toEqual(['new Date without arguments'])
    expect(browserClockUses('setInterval(() => (now.value = Date.now()), 1000)')).toEqual(['Date.now()'])
    expect(browserClockUses("const year = dayjs().year()")).toEqual(['dayjs()'])
    expect(browserClockUses('Temporal.Now.instant()')).toEqual(['Temporal.Now'])
    expect(browserClockUses("new Date('2026-12-07T00:00:00'); new Date(view.step_due_at); dayjs(value)")).toEqual([])
  })

  it('is read by no page: colours, time left and today come from the server', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(100) // the scan sees the whole SPA
    const offenders = Object.entries(SOURCES)
      .map(([file, text]) => ({ file, uses: browserClockUses(text) }))
      .filter(({ file, uses }) => uses.length > 0 && !(file in ALLOWED))
    expect(offenders).toEqual([])
  })

  it('allows only places that still read it (no stale exceptions)', () => {
    for (const file of Object.keys(ALLOWED)) expect(browserClockUses(SOURCES[file] ?? ''), file).not.toEqual([])
  })
})
