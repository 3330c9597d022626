// Shapes the overview's figures for its tiles and charts (pure, unit-tested).

import type { DepartmentFigures, Figures, Indicator, WarningLevel } from '@/api/monitoring'

/** The grid's columns, in the order an inspector reads them. */
export const INDICATORS: Indicator[] = ['received', 'completed', 'overdue', 'reminder', 'yellow', 'red', 'anomaly', 'complaints']
/** Figures where more is worse: coloured from calm to alarming in the grid. */
export const ALARMING: ReadonlySet<Indicator> = new Set(['overdue', 'yellow', 'red', 'anomaly', 'complaints'])
export const CARD_LEVELS: WarningLevel[] = ['reminder', 'yellow', 'red', 'anomaly']
export const LEVEL_COLOURS: Record<WarningLevel, string> = {
  reminder: '#409eff',
  yellow: '#e6a23c',
  red: '#f56c6c',
  anomaly: '#9b59b6',
}

export const REFRESH_MS = 60_000

export interface HeatCell {
  /** [column (indicator), row (department), share of the column's maximum 0..1, the figure] */
  value: [number, number, number, number]
}

/** The department × indicator grid: each cell's colour is its share of the column's largest figure,
 * so a column with hundreds received and one with two red cards are both readable; 0 stays blank. */
export function heatmapCells(rows: DepartmentFigures[], indicators: Indicator[] = INDICATORS): HeatCell[] {
  const maxima = indicators.map((indicator) => Math.max(0, ...rows.map((row) => row.figures[indicator])))
  const cells: HeatCell[] = []
  rows.forEach((row, y) => {
    indicators.forEach((indicator, x) => {
      const figure = row.figures[indicator]
      cells.push({ value: [x, y, maxima[x] > 0 ? figure / maxima[x] : 0, figure] })
    })
  })
  return cells
}

/** Departments with anything to see first (most red, then yellow, then received), then by name. */
export function sortedDepartments(rows: DepartmentFigures[]): DepartmentFigures[] {
  const weight = (f: Figures) => [f.red, f.yellow, f.overdue, f.received + f.completed]
  return [...rows].sort((a, b) => {
    const wa = weight(a.figures)
    const wb = weight(b.figures)
    for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return wb[i] - wa[i]
    return a.short_name.localeCompare(b.short_name, 'zh-CN')
  })
}

export interface StackedSeries {
  level: WarningLevel
  data: number[]
}

/** Cards by level per department, one series per level (for a stacked bar chart). */
export function cardSeries(rows: DepartmentFigures[]): StackedSeries[] {
  return CARD_LEVELS.map((level) => ({ level, data: rows.map((row) => row.figures[level]) }))
}

export function hasAnyCards(rows: DepartmentFigures[]): boolean {
  return rows.some((row) => CARD_LEVELS.some((level) => row.figures[level] > 0))
}
