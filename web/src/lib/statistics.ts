// The statistics table's columns, as the API describes them ([{key, label}] and rows of cells):
// which columns name a row and which hold numbers to chart.

import type { StatisticsCell, StatisticsTable } from '@/api/evaluation'

type Column = { key: string; label: string }

/** Identifier columns never charted (codes and ids repeat the name). */
const ID_COLUMNS = new Set(['department_id', 'status', 'item_code'])

/** Columns whose cells are all numbers (or empty): what a chart can show. */
export function chartColumns(table: StatisticsTable): Column[] {
  return table.columns.filter(
    (column) =>
      !ID_COLUMNS.has(column.key) &&
      table.rows.some((row) => typeof row[column.key] === 'number') &&
      table.rows.every((row) => row[column.key] === null || row[column.key] === undefined || typeof row[column.key] === 'number'),
  )
}

/** The columns that name a row: text columns other than codes, or the first column. */
export function labelColumns(table: StatisticsTable): Column[] {
  const numeric = new Set(chartColumns(table).map((c) => c.key))
  const names = table.columns.filter((c) => !numeric.has(c.key) && !ID_COLUMNS.has(c.key))
  return names.length ? names.slice(0, 1) : table.columns.slice(0, 1)
}

export function rowLabel(row: Record<string, StatisticsCell>, labels: Column[]): string {
  return labels.map((c) => row[c.key]).filter((v) => v !== null && v !== undefined && v !== '').join(' ') || '—'
}
