import { describe, expect, it, vi } from 'vitest'

import { ApiClient, type TokenProvider } from '@/api/client'
import { ApiError } from '@/api/errors'
import { evaluationEndpoints, INDICATORS, type StatisticsTable, type WeightMap } from '@/api/evaluation'
import { fetchFile, fileNameFrom, saveFile } from '@/lib/download'
import { caseOf, checkWeights, difference, previewFormula, rankDelta, scoreDelta, weightSum } from '@/lib/evaluation'
import {
  containing,
  formatPeriod,
  monthOf,
  nextPeriod,
  parsePeriod,
  periodLabel,
  periodOptions,
  previousPeriod,
  recentPeriods,
  yearEarlier,
} from '@/lib/periods'
import { chartColumns, labelColumns, rowLabel } from '@/lib/statistics'

import { jsonResponse, scriptedFetch } from './helpers'

const p = (text: string) => parsePeriod(text)!

describe('score deltas (环比/同比)', () => {
  it('shows a gain with ↑, a loss with ↓ and a real minus sign, two decimals', () => {
    expect(scoreDelta(2.345)).toEqual({ text: '+2.35', arrow: '↑', trend: 'up' })
    expect(scoreDelta(-1.2)).toEqual({ text: '−1.20', arrow: '↓', trend: 'down' })
  })

  it('tells "unchanged" from "nothing to compare"', () => {
    expect(scoreDelta(0)).toEqual({ text: '0.00', arrow: '→', trend: 'flat' })
    expect(scoreDelta(0.004).trend).toBe('flat')
    expect(scoreDelta(null)).toEqual({ text: '—', arrow: '', trend: 'none' })
    expect(scoreDelta(undefined).trend).toBe('none')
  })

  it('counts a rank moving up (a smaller number) as a gain', () => {
    expect(rankDelta(2, 5)).toEqual({ text: '3', arrow: '↑', trend: 'up' })
    expect(rankDelta(4, 1)).toEqual({ text: '3', arrow: '↓', trend: 'down' })
    expect(rankDelta(3, 3).trend).toBe('flat')
    expect(rankDelta(null, 3).trend).toBe('none')
    expect(rankDelta(2, null).trend).toBe('none')
  })

  it('subtracts sub-scores without float noise, and only when both exist', () => {
    expect(difference(80.1, 79.9)).toBe(0.2)
    expect(difference(null, 50)).toBeNull()
    expect(difference(50, undefined)).toBeNull()
  })
})

describe('weights editor', () => {
  const defaults: WeightMap = { on_time: 25, early: 10, time_used: 10, cards: 15, complaints: 10, satisfaction: 15, orders: 10, disclosure: 5 }

  it('accepts whole numbers summing to 100', () => {
    expect(weightSum(defaults)).toBe(100)
    expect(checkWeights(defaults)).toEqual({ ok: true, sum: 100, invalid: [], message: null })
  })

  it('says how far the sum is from 100, either way', () => {
    expect(checkWeights({ ...defaults, on_time: 20 })).toMatchObject({ ok: false, sum: 95, message: '各项权重之和须为100，当前为95，还差5。' })
    expect(checkWeights({ ...defaults, on_time: 33 })).toMatchObject({ ok: false, sum: 108, message: '各项权重之和须为100，当前为108，多了8。' })
  })

  it('names the indicators that are empty, negative or fractional', () => {
    const result = checkWeights({ ...defaults, early: null, cards: -5, orders: 2.5 })
    expect(result.ok).toBe(false)
    expect(result.invalid).toEqual(['early', 'cards', 'orders'])
    expect(result.message).toBe('每项权重须为0–100的整数。')
  })

  it('previews the published formula with the weights being edited', () => {
    const lines = ['说明', '1. 按时办结率（权重25）：…', '6. 满意度（权重15）：…（评分1–5分）。', '末行（权重不变）']
    const labels = { on_time: '按时办结率', satisfaction: '满意度' }
    expect(previewFormula(lines, labels, { ...defaults, on_time: 30, satisfaction: 10 })).toEqual([
      '说明',
      '1. 按时办结率（权重30）：…',
      '6. 满意度（权重10）：…（评分1–5分）。',
      '末行（权重不变）',
    ])
  })
})

describe('periods (考核期间)', () => {
  it('reads and writes the three forms the API uses', () => {
    expect(parsePeriod('2026-10')).toEqual({ granularity: 'month', year: 2026, number: 10 })
    expect(parsePeriod(' 2026-q4 ')).toEqual({ granularity: 'quarter', year: 2026, number: 4 })
    expect(parsePeriod('2026')).toEqual({ granularity: 'year', year: 2026, number: 1 })
    for (const bad of ['2026-13', '2026-Q5', '26-10', '1999', '', null]) expect(parsePeriod(bad)).toBeNull()
    expect(['2026-03', '2026-Q1', '2026'].map((t) => formatPeriod(p(t)))).toEqual(['2026-03', '2026-Q1', '2026'])
    expect(['2026-03', '2026-Q1', '2026'].map((t) => periodLabel(p(t)))).toEqual(['2026年3月', '2026年第1季度', '2026年'])
  })

  it('steps back and forward across year ends (环比), and a year back (同比)', () => {
    expect(formatPeriod(previousPeriod(p('2026-01')))).toBe('2025-12')
    expect(formatPeriod(previousPeriod(p('2026-Q1')))).toBe('2025-Q4')
    expect(formatPeriod(previousPeriod(p('2026')))).toBe('2025')
    expect(formatPeriod(nextPeriod(p('2025-12')))).toBe('2026-01')
    expect(formatPeriod(nextPeriod(p('2025-Q4')))).toBe('2026-Q1')
    expect(formatPeriod(yearEarlier(p('2026-Q3')))).toBe('2025-Q3')
  })

  it('finds the quarter and year of a month, and the month on the city calendar', () => {
    expect(formatPeriod(containing(p('2026-11'), 'quarter'))).toBe('2026-Q4')
    expect(formatPeriod(containing(p('2026-03'), 'year'))).toBe('2026')
    expect(formatPeriod(containing(p('2026-Q2'), 'month'))).toBe('2026-06')
    // 16:30 UTC on 31 October is already 1 November in Beijing
    expect(formatPeriod(monthOf(new Date('2026-10-31T16:30:00Z')))).toBe('2026-11')
    expect(formatPeriod(monthOf(new Date('2026-10-31T15:59:00Z')))).toBe('2026-10')
  })

  it('offers the recent periods newest first, the open one marked', () => {
    expect(recentPeriods(p('2026-02'), 'month', 3).map(formatPeriod)).toEqual(['2026-02', '2026-01', '2025-12'])
    const quarters = periodOptions(p('2026-02'), 'quarter')
    expect(quarters).toHaveLength(8)
    expect(quarters[0]).toEqual({ value: '2026-Q1', label: '2026年第1季度', open: true })
    expect(quarters[1]).toEqual({ value: '2025-Q4', label: '2025年第4季度', open: false })
    expect(periodOptions(p('2026-02'), 'year').map((o) => o.value)).toEqual(['2026', '2025', '2024', '2023', '2022'])
  })
})

describe('drill-down links', () => {
  it('opens the case of a case figure, of a card and of a complaint; none for an order', () => {
    expect(caseOf({ metric: 'completed', subject_id: 'SL-1', details: {} })).toBe('SL-1')
    expect(caseOf({ metric: 'yellow_cards', subject_id: 'W-1', details: { case_id: 'SL-2' } })).toBe('SL-2')
    expect(caseOf({ metric: 'complaints', subject_id: 'C-1', details: { case_id: 'SL-3' } })).toBe('SL-3')
    expect(caseOf({ metric: 'complaints', subject_id: 'C-2', details: { case_id: null } })).toBeNull()
    expect(caseOf({ metric: 'orders_issued', subject_id: 'O-1', details: { source_kind: 'warning' } })).toBeNull()
  })
})

describe('statistics table', () => {
  const table: StatisticsTable = {
    period: '2026-10',
    dimension: 'department',
    provisional: false,
    columns: [
      { key: 'department_id', label: '部门编号' },
      { key: 'department_name', label: '部门' },
      { key: 'received', label: '受理件数' },
      { key: 'on_time_rate', label: '按时办结率（%）' },
    ],
    rows: [
      { department_id: 'market', department_name: '市市场监督管理局', received: 3, on_time_rate: null },
      { department_id: 'health', department_name: '市卫生健康委员会', received: 0, on_time_rate: 100 },
    ],
  }

  it('charts the number columns and names rows by their name column, not the code', () => {
    expect(chartColumns(table).map((c) => c.key)).toEqual(['received', 'on_time_rate'])
    expect(labelColumns(table).map((c) => c.key)).toEqual(['department_name'])
    expect(rowLabel(table.rows[0], labelColumns(table))).toBe('市市场监督管理局')
  })
})

describe('file download (CSV/Excel export)', () => {
  function tokens(initial: string | null, refreshed: string | null = null): TokenProvider {
    return { idToken: async () => initial, refreshAfterRejection: async () => refreshed }
  }

  it('reads the file name of Content-Disposition, preferring filename*', () => {
    expect(fileNameFrom('attachment; filename="statistics-item-2026-10.csv"')).toBe('statistics-item-2026-10.csv')
    expect(fileNameFrom("attachment; filename=a.csv; filename*=UTF-8''%E7%BB%9F%E8%AE%A1.csv")).toBe('统计.csv')
    expect(fileNameFrom('attachment; filename=plain.xlsx')).toBe('plain.xlsx')
    expect(fileNameFrom('inline')).toBeNull()
    expect(fileNameFrom(null)).toBeNull()
  })

  it('fetches the export with the token and the file type in Accept, named by the API', async () => {
    const csv = '\ufeff部门,受理件数\r\n市市场监督管理局,3\r\n'
    const { fetchImpl, calls } = scriptedFetch(
      new Response(csv, { status: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="statistics-department-2026-10.csv"' } }),
    )
    const api = evaluationEndpoints(new ApiClient('http://api.test/v1', tokens('id-token'), fetchImpl), tokens('id-token'), fetchImpl)
    const file = await api.exportStatistics({ period: '2026-10', dimension: 'department', department: null }, 'csv')
    expect(calls[0].url).toBe('http://api.test/v1/statistics?period=2026-10&dimension=department&format=csv')
    expect(calls[0].headers).toEqual({ Accept: 'text/csv', Authorization: 'id-token' })
    expect(file.fileName).toBe('statistics-department-2026-10.csv')
    // the bytes are kept as sent, BOM included (Excel needs it to read UTF-8)
    expect(new Uint8Array(await file.blob.arrayBuffer())).toEqual(new TextEncoder().encode(csv))
  })

  it('asks for the xlsx type (API Gateway returns binary only then) and falls back to its own name', async () => {
    const { fetchImpl, calls } = scriptedFetch(new Response(new Uint8Array([80, 75, 3, 4]), { status: 200 }))
    const file = await fetchFile('http://api.test/v1/statistics?format=xlsx', {
      accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      tokens: tokens('t'),
      fetchImpl,
      fallbackName: 'statistics-item-2026-Q4.xlsx',
    })
    expect(calls[0].headers.Accept).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(file.fileName).toBe('statistics-item-2026-Q4.xlsx')
    expect(new Uint8Array(await file.blob.arrayBuffer())).toEqual(new Uint8Array([80, 75, 3, 4]))
  })

  it('retries once with a refreshed token after a 401', async () => {
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(401, { message: 'Unauthorized' }), new Response('a,b', { status: 200 }))
    await fetchFile('http://api.test/x', { accept: 'text/csv', tokens: tokens('old', 'new'), fetchImpl, fallbackName: 'x.csv' })
    expect(calls.map((c) => c.headers.Authorization)).toEqual(['old', 'new'])
  })

  it("throws the API's message when the export is refused", async () => {
    const { fetchImpl } = scriptedFetch(jsonResponse(403, { code: 'forbidden', message: '您只能查看本部门的统计数据。' }))
    const failure = fetchFile('http://api.test/x', { accept: 'text/csv', tokens: tokens('t'), fetchImpl, fallbackName: 'x.csv' })
    await expect(failure).rejects.toBeInstanceOf(ApiError)
    await expect(failure).rejects.toMatchObject({ status: 403, message: '您只能查看本部门的统计数据。' })
  })

  it('saves through a temporary link and releases the object URL afterwards', () => {
    vi.useFakeTimers()
    const clicked: { href: string; download: string }[] = []
    const link = { href: '', download: '', style: { display: '' }, click: () => clicked.push({ href: link.href, download: link.download }), remove: vi.fn() }
    const host = {
      createObjectURL: vi.fn(() => 'blob:1'),
      revokeObjectURL: vi.fn(),
      document: { createElement: () => link, body: { appendChild: vi.fn() } } as unknown as Pick<Document, 'createElement' | 'body'>,
    }
    saveFile({ blob: new Blob(['x']), fileName: '统计.xlsx' }, host)
    expect(clicked).toEqual([{ href: 'blob:1', download: '统计.xlsx' }])
    expect(link.remove).toHaveBeenCalled()
    expect(host.revokeObjectURL).not.toHaveBeenCalled()
    vi.runAllTimers()
    expect(host.revokeObjectURL).toHaveBeenCalledWith('blob:1')
    vi.useRealTimers()
  })
})

it('knows all eight indicators in the order of the formula', () => {
  expect(INDICATORS).toEqual(['on_time', 'early', 'time_used', 'cards', 'complaints', 'satisfaction', 'orders', 'disclosure'])
})
