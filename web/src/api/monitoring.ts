// The live overview (监察总览) API: GET /monitoring/overview, and a department's warnings and
// cards (GET /warnings?department=) for the drill-down.

import type { ApiClient } from './client'
import type { Page } from './types'

export interface Figures {
  received: number
  completed: number
  overdue: number
  reminder: number
  yellow: number
  red: number
  anomaly: number
  complaints: number
}

export type Indicator = keyof Figures

export interface DepartmentFigures {
  department_id: string
  name: string
  short_name: string
  figures: Figures
}

export interface MonitoringOverview {
  date: string
  /** 'city', or the one department the caller watches */
  scope: string
  generated_at: string
  source: string
  totals: Figures
  departments: DepartmentFigures[]
}

export type WarningLevel = 'reminder' | 'yellow' | 'red' | 'anomaly'

export interface WarningSummary {
  warning_id: string
  case_id: string
  department_id: string
  item_name: string
  level: WarningLevel
  title: string
  issued_at: string
  status: string
}

export function monitoringApi(client: ApiClient) {
  return {
    overview: (date?: string | null, signal?: AbortSignal) =>
      client.get<MonitoringOverview>('monitoring/overview', { query: { date: date ?? undefined }, signal }),
    departmentWarnings: (department: string, cursor?: string | null) =>
      client.get<Page<WarningSummary>>('warnings', { query: { department, cursor: cursor ?? undefined, limit: 20 } }),
  }
}
