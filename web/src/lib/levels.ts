// Levels of government on the evaluation pages: the level chosen in the ranking's query, and the
// roll-up table's rows indented under their parent government (市 → 县（市、区）→ 乡镇（街道）→ 村（社区）).

import { LEVELS, type GovernmentLevel, type GovernmentRollup } from '@/api/evaluation'

/** The `level` query parameter, if it names a level; anything else means all levels. */
export function levelFromQuery(value: unknown): GovernmentLevel | null {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value) ? (value as GovernmentLevel) : null
}

export interface RollupLine {
  row: GovernmentRollup
  /** How far the row is indented: 0 for the highest level shown. */
  depth: number
}

/** The roll-up rows (already in tree order from the API), each indented by its level. */
export function rollupLines(rows: readonly GovernmentRollup[]): RollupLine[] {
  const depths = rows.map((row) => LEVELS.indexOf(row.level))
  const top = depths.length ? Math.min(...depths) : 0
  return rows.map((row, index) => ({ row, depth: depths[index] - top }))
}

/** A percentage for a table cell: two decimals and a % sign, or — without data. */
export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(2)}%`
}

// Who may be offered which pages: the server decides who sees what (services/scope.py); the pages
// only choose what to offer: a district's or township's 监察局 is not offered the city's pages.

/**
 * Whether a 行政区划代码 is below a city: a district or county (6 digits not ending in 00), a
 * township (9) or a village (12). A city's code ends in 00 (鄂州市 420700); no code (an account
 * from before levels) is treated as the city's here, and the server refuses what it may not read.
 */
export function isBelowCity(government: string | null | undefined): boolean {
  if (!government) return false
  return !/^\d{4}00$/.test(government)
}

/**
 * The departments a district's (township's) 监察局 supervises: those of its government and the
 * levels below it. 行政区划代码 nest by prefix (鄂城区 420704 → 凤凰街道 420704001 → 滨湖社区
 * 420704001001); the server still checks every request against the government tree.
 */
export function departmentsAtOrBelow<D extends { government_id?: string | null }>(departments: readonly D[], government: string): D[] {
  return departments.filter((d) => typeof d.government_id === 'string' && d.government_id.startsWith(government))
}

/** Which 监察局 the caller is: the city's, a district's or township's ('level'), or none. */
export type Bureau = 'city' | 'level' | null

/**
 * The caller's 监察局 as GET /me names it (the server's own test, services/scope.py); until /me has
 * answered, read from the ID token's claims the same way: an inspector without a department, of a
 * government. Without a government it is none (the server refuses it everything), never the city.
 */
export function bureauOf(
  me: { bureau?: Bureau } | null | undefined,
  user: { groups: readonly string[]; department: string | null; government?: string } | null | undefined,
): Bureau {
  if (me) return me.bureau ?? null
  if (!user || !user.groups.includes('inspector') || user.department || !user.government) return null
  return isBelowCity(user.government) ? 'level' : 'city'
}
