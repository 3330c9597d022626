// Display logic of the evaluation pages: score deltas (环比/同比) with their direction, rank
// movements, the weights editor's sum check, and the published formula previewed with new weights.

import { INDICATORS, type Indicator, type Metric, type WeightMap } from '@/api/evaluation'

export type Trend = 'up' | 'down' | 'flat' | 'none'

export interface Delta {
  /** "+2.35", "−1.20", "0.00" or "—". */
  text: string
  /** ↑ ↓ → or nothing. */
  arrow: string
  trend: Trend
}

const MINUS = '−'

/** A change in points (current − earlier, as the API computes it); null when there is nothing to compare. */
export function scoreDelta(change: number | null | undefined): Delta {
  if (change === null || change === undefined || Number.isNaN(change)) return { text: '—', arrow: '', trend: 'none' }
  const rounded = Math.round(change * 100) / 100
  if (rounded === 0) return { text: '0.00', arrow: '→', trend: 'flat' }
  const text = rounded > 0 ? `+${rounded.toFixed(2)}` : `${MINUS}${Math.abs(rounded).toFixed(2)}`
  return { text, arrow: rounded > 0 ? '↑' : '↓', trend: rounded > 0 ? 'up' : 'down' }
}

/** The change between two scores (sub-scores have no change field): current − earlier. */
export function difference(current: number | null | undefined, earlier: number | null | undefined): number | null {
  if (current === null || current === undefined || earlier === null || earlier === undefined) return null
  return Math.round((current - earlier) * 100) / 100
}

/** A rank movement: moving from 5th to 2nd is up 3 places. */
export function rankDelta(rank: number | null | undefined, earlierRank: number | null | undefined): Delta {
  if (!rank || !earlierRank) return { text: '—', arrow: '', trend: 'none' }
  const places = earlierRank - rank
  if (places === 0) return { text: '0', arrow: '→', trend: 'flat' }
  return { text: String(Math.abs(places)), arrow: places > 0 ? '↑' : '↓', trend: places > 0 ? 'up' : 'down' }
}

/** "87.50", or "—" for no score. */
export function formatScore(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits)
}

// --- the weights editor ------------------------------------------------------------------

export const WEIGHT_TOTAL = 100

export function weightSum(weights: Partial<Record<Indicator, number | null | undefined>>): number {
  return INDICATORS.reduce((sum, indicator) => sum + (Number(weights[indicator]) || 0), 0)
}

export interface WeightCheck {
  ok: boolean
  sum: number
  /** What to fix, in words (null when ok). */
  message: string | null
  /** Indicators whose value is not a whole number from 0 to 100. */
  invalid: Indicator[]
}

/** The API's rule, checked while typing: whole numbers 0–100 for every indicator, summing to 100. */
export function checkWeights(weights: Partial<Record<Indicator, number | null | undefined>>): WeightCheck {
  const invalid = INDICATORS.filter((indicator) => {
    const value = weights[indicator]
    return value === null || value === undefined || !Number.isInteger(value) || value < 0 || value > WEIGHT_TOTAL
  })
  const sum = weightSum(weights)
  if (invalid.length) return { ok: false, sum, invalid, message: '每项权重须为0–100的整数。' }
  if (sum !== WEIGHT_TOTAL) {
    const gap = WEIGHT_TOTAL - sum
    const message = gap > 0 ? `各项权重之和须为100，当前为${sum}，还差${gap}。` : `各项权重之和须为100，当前为${sum}，多了${-gap}。`
    return { ok: false, sum, invalid, message }
  }
  return { ok: true, sum, invalid, message: null }
}

export function sameWeights(a: Partial<WeightMap> | null, b: Partial<WeightMap> | null): boolean {
  return !!a && !!b && INDICATORS.every((indicator) => a[indicator] === b[indicator])
}

/** The published formula text with other weights: each "{label}（权重N）" gets the new N. */
export function previewFormula(lines: string[], labels: Partial<Record<Indicator, string>>, weights: Partial<WeightMap>): string[] {
  return lines.map((line) =>
    INDICATORS.reduce((text, indicator) => {
      const label = labels[indicator]
      const weight = weights[indicator]
      if (!label || weight === undefined || weight === null) return text
      return text.replace(new RegExp(`${escapeRegExp(label)}（权重\\d+）`, 'g'), `${label}（权重${weight}）`)
    }, line),
  )
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// --- what each indicator is made of (drill-down from the detail page) -------------------------

/** The counted figures behind each indicator; each opens its drill-down. Disclosure comes from the catalog. */
export const INDICATOR_METRICS: Record<Indicator, Metric[]> = {
  on_time: ['completed', 'on_time', 'overdue'],
  early: ['completed', 'early'],
  time_used: ['completed'],
  cards: ['received', 'yellow_cards', 'red_cards'],
  complaints: ['received', 'complaints', 'complaints_founded'],
  satisfaction: ['ratings'],
  orders: ['orders_answered', 'orders_answered_on_time'],
  disclosure: [],
}

/** The case a drill-down record is about, if any (cases themselves, and cards, complaints and ratings of a case). */
export function caseOf(record: { metric: string; subject_id: string; details: Record<string, unknown> }): string | null {
  const fromDetails = record.details.case_id
  if (typeof fromDetails === 'string' && fromDetails) return fromDetails
  if (record.metric === 'ratings' || CASE_METRICS.has(record.metric)) return record.subject_id
  return null
}

const CASE_METRICS = new Set<string>([
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
  'penalties_decided',
  'penalties_decided_in_time',
])
