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
