// The evaluation API (绩效评估 and 多维统计): scores, rankings with 环比/同比, a department's detail,
// history and drill-down, statistics with CSV/Excel export, the weights (admins) and the public
// 公示 routes. Shapes follow layers/sunlight/python/sunlight/models/evaluation.py; routes are
// functions/http_api/evaluation_routes.py. Every evaluation call of the SPA is in this module.

import type { ApiClient, FetchLike, TokenProvider } from './client'
import type { components } from './schema'
import type { Page } from './types'
import { fetchFile, type DownloadedFile } from '@/lib/download'

export type Granularity = 'month' | 'quarter' | 'year'

export const INDICATORS = ['on_time', 'early', 'time_used', 'cards', 'complaints', 'satisfaction', 'orders', 'disclosure'] as const
export type Indicator = (typeof INDICATORS)[number]

/** Figures that count records; each drills down to the records behind it. */
export const METRICS = [
  'received',
  'completed',
  'on_time',
  'early',
  'overdue',
  'closed_completed',
  'closed_denied',
  'closed_rejected',
  'closed_withdrawn',
  'closed_suspended',
  'yellow_cards',
  'red_cards',
  'anomalies',
  'complaints',
  'complaints_concluded',
  'complaints_founded',
  'ratings',
  'orders_issued',
  'orders_answered',
  'orders_answered_on_time',
  'orders_concluded',
  'orders_founded',
  'penalties_decided',
  'penalties_decided_in_time',
  'appeals_decided',
  'appeals_decided_on_time',
  'appeals_granted',
] as const
export type Metric = (typeof METRICS)[number]

/** Raw counts of a department in a period (Metric counts plus sums such as days_used). */
export type Figures = Record<Metric, number> & {
  days_used: number
  days_promised: number
  rating_sum: number
  order_answer_days: number
  appeal_decision_days: number
}

export interface IndicatorValues {
  on_time_rate: number | null
  early_rate: number | null
  avg_days_used: number | null
  avg_days_promised: number | null
  time_used_ratio: number | null
  yellow_cards: number
  red_cards: number
  complaints_per_100: number | null
  complaints_founded: number
  avg_satisfaction: number | null
  orders_on_time_rate: number | null
  avg_order_answer_days: number | null
  disclosure_rate: number | null
  /** 行政处罚法 第六十条: share of penalty decisions made within 90 days of 立案. */
  penalty_in_time_rate?: number | null
}

export type SubScores = Partial<Record<Indicator, number | null>>

export interface DepartmentScore {
  department_id: string
  department_name: string
  figures: Figures
  indicators: IndicatorValues
  sub_scores: SubScores
  total: number | null
  rank: number | null
}

export interface Comparison {
  previous_period: string
  previous_total: number | null
  previous_rank: number | null
  change_from_previous: number | null
  year_earlier_period: string
  year_earlier_total: number | null
  year_earlier_rank: number | null
  change_from_year_earlier: number | null
}

/** Levels of government (models/levels.py), from the city down. */
export const LEVELS = ['city', 'county', 'township', 'village'] as const
export type GovernmentLevel = (typeof LEVELS)[number]
/** A government's figures: its own departments' (本级) and, rolled up, with every level below (合计). */
export type GovernmentRollup = components['schemas']['GovernmentRollup']
/** 监督下级监察机构: how each district's 监察局 supervises (GET /evaluation/bureaus, city inspectors). */
export type BureauReport = components['schemas']['BureauReport']
export type BureauSupervision = components['schemas']['BureauSupervision']

/** Ranking among a level's peers and/or under one government (行政区划代码). */
export interface RankingFilter {
  level?: GovernmentLevel | null
  government?: string | null
}

export interface RankingRow {
  department_id: string
  department_name: string
  government_id?: string | null
  government_name?: string | null
  rank: number | null
  total: number | null
  sub_scores: SubScores
  indicators: IndicatorValues
  comparison: Comparison
}

export interface Rankings {
  period: string
  period_label: string
  /** The period is still open (or nobody closed it yet): live figures, for reference only. */
  provisional: boolean
  closed_at: string | null
  weights_version: number
  rows: RankingRow[]
  level?: GovernmentLevel | null
  government_id?: string | null
  /** Each government's figures rolled up (the city's includes the districts'), in tree order. */
  rollup?: GovernmentRollup[]
}

export interface DepartmentEvaluation {
  period: string
  period_label: string
  provisional: boolean
  closed_at: string | null
  weights_version: number
  score: DepartmentScore
  departments_ranked: number
  comparison: Comparison
  previous: DepartmentScore | null
  year_earlier: DepartmentScore | null
}

export interface HistoryPoint {
  period: string
  period_label: string
  provisional: boolean
  total: number | null
  rank: number | null
  sub_scores: SubScores | null
  indicators: IndicatorValues | null
}

export interface DepartmentHistory {
  department_id: string
  department_name: string
  granularity: Granularity
  /** Oldest first; a period without results has total null. */
  points: HistoryPoint[]
}

export interface DrilldownRecord {
  metric: Metric
  /** The case, card, complaint, rating or order behind the figure. */
  subject_id: string
  occurred_at: string
  month: string
  item_code: string | null
  details: Record<string, unknown>
}

export type WeightMap = Record<Indicator, number>

export interface Weights {
  version: number
  weights: WeightMap
  updated_at: string | null
  updated_by: string | null
  note: string | null
}

export interface WeightsRequest {
  weights: WeightMap
  /** The version edited: the API answers 409 when someone saved another one meanwhile. */
  base_version: number | null
  note?: string | null
}

export interface Formula {
  title: string
  text: string[]
  weights: { version: number; weights: WeightMap; updated_at: string | null }
  indicators: Record<Indicator, string>
}

export type Dimension = 'department' | 'item' | 'category' | 'status'
export const DIMENSIONS: Dimension[] = ['department', 'item', 'category', 'status']

export type StatisticsCell = string | number | null

export interface StatisticsTable {
  period: string
  dimension: Dimension
  provisional: boolean
  columns: { key: string; label: string }[]
  rows: Record<string, StatisticsCell>[]
}

export type ExportFormat = 'csv' | 'xlsx'

/** What to ask for in Accept: API Gateway returns the xlsx bytes as a file only when Accept names its type. */
export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

export interface StatisticsQuery {
  period: string
  dimension: Dimension
  department?: string | null
  /** Only the departments of one level of government. */
  level?: GovernmentLevel | null
}

const id = (value: string) => encodeURIComponent(value.trim())

export function evaluationEndpoints(api: ApiClient, tokens: TokenProvider | null, fetchImpl?: FetchLike) {
  return {
    rankings: (period?: string | null, filter: RankingFilter = {}) =>
      api.get<Rankings>('evaluation/rankings', { query: { period, level: filter.level, government: filter.government } }),
    bureaus: (period?: string | null) => api.get<BureauReport>('evaluation/bureaus', { query: { period } }),
    department: (departmentId: string, period?: string | null) =>
      api.get<DepartmentEvaluation>(`evaluation/departments/${id(departmentId)}`, { query: { period } }),
    history: (departmentId: string, granularity: Granularity) =>
      api.get<DepartmentHistory>(`evaluation/departments/${id(departmentId)}/history`, { query: { granularity } }),
    drilldown: (departmentId: string, period: string, metric: Metric, cursor: string | null, limit: number) =>
      api.get<Page<DrilldownRecord>>(`evaluation/departments/${id(departmentId)}/drilldown`, {
        query: { period, metric, cursor, limit },
      }),
    weights: () => api.get<Weights>('evaluation/weights'),
    saveWeights: (request: WeightsRequest) => api.request<Weights>('PUT', 'evaluation/weights', { body: request }),
    statistics: (query: StatisticsQuery) =>
      api.get<StatisticsTable>('statistics', { query: { ...query, format: 'json' } }),
    /** The statistics as a file (with the signed-in user's token); the caller saves it. */
    exportStatistics: (query: StatisticsQuery, format: ExportFormat): Promise<DownloadedFile> =>
      fetchFile(api.url('statistics', { ...query, format }), {
        accept: EXPORT_MEDIA_TYPES[format],
        tokens,
        fetchImpl,
        fallbackName: `statistics-${query.dimension}-${query.period}.${format}`,
      }),
    // public (公示)
    formula: () => api.get<Formula>('public/evaluation/formula', { auth: false }),
    publicRankings: (period?: string | null) =>
      api.get<Rankings>('public/evaluation/rankings', { query: { period }, auth: false }),
  }
}

export type EvaluationEndpoints = ReturnType<typeof evaluationEndpoints>
