import { describe, expect, it } from 'vitest'

import type { DepartmentFigures, Figures } from '@/api/monitoring'
import { INDICATORS, cardSeries, hasAnyCards, heatmapCells, sortedDepartments } from '@/lib/overview'

const ZERO: Figures = { received: 0, completed: 0, overdue: 0, reminder: 0, yellow: 0, red: 0, anomaly: 0, complaints: 0 }

function row(id: string, short: string, figures: Partial<Figures>): DepartmentFigures {
  return { department_id: id, name: `${short}局`, short_name: short, figures: { ...ZERO, ...figures } }
}

describe('the overview grid', () => {
  it('colours each cell by its share of the largest figure of its column and keeps the figure', () => {
    const rows = [row('a', '甲', { received: 100, red: 1 }), row('b', '乙', { received: 25, red: 2 })]
    const cells = heatmapCells(rows, ['received', 'red', 'yellow'])
    expect(cells.map((c) => c.value)).toEqual([
      [0, 0, 1, 100],
      [1, 0, 0.5, 1],
      [2, 0, 0, 0], // a column of zeros stays blank, no division by zero
      [0, 1, 0.25, 25],
      [1, 1, 1, 2],
      [2, 1, 0, 0],
    ])
    expect(heatmapCells(rows)).toHaveLength(rows.length * INDICATORS.length)
  })

  it('puts departments with red, then yellow cards first, then by name', () => {
    const rows = [row('a', '乙', { received: 9 }), row('b', '甲', { yellow: 1 }), row('c', '丙', { red: 1 }), row('d', '丁', {})]
    expect(sortedDepartments(rows).map((r) => r.department_id)).toEqual(['c', 'b', 'a', 'd'])
    expect(rows.map((r) => r.department_id)).toEqual(['a', 'b', 'c', 'd']) // not sorted in place
  })
})

describe('cards by level', () => {
  it('has one stacked series per level with a value per department', () => {
    const rows = [row('a', '甲', { yellow: 2, anomaly: 1 }), row('b', '乙', { red: 3 })]
    expect(cardSeries(rows)).toEqual([
      { level: 'reminder', data: [0, 0] },
      { level: 'yellow', data: [2, 0] },
      { level: 'red', data: [0, 3] },
      { level: 'anomaly', data: [1, 0] },
    ])
    expect(hasAnyCards(rows)).toBe(true)
    expect(hasAnyCards([row('c', '丙', { received: 5, complaints: 2 })])).toBe(false)
  })
})
