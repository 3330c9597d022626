// The staff office's API calls: warnings and cards, the clock (special procedures, extensions),
// the department's open cases (leaders) and walk-in applications at the window (窗口代办).

import type { ApiClient } from './client'
import type { components } from './schema'
import type { ApplicationReceipt, CaseStatus, CaseSummary, Page, StaffCaseView, Step } from './types'

export type WarningLevel = 'reminder' | 'yellow' | 'red' | 'anomaly'
export type CardStatus = 'issued' | 'acknowledged' | 'appealed' | 'upheld' | 'revoked'
export type CardAction = 'acknowledge' | 'appeal' | 'uphold' | 'revoke'
export type PauseReason = components['schemas']['PauseReason']
export type ExtensionStatus = components['schemas']['ExtensionStatus']
export type DueWindow = components['schemas']['DueWindow']

export interface CardEvent {
  action: string
  actor_id: string
  actor_name: string
  at: string
  reason: string | null
  from_status: CardStatus
  to_status: CardStatus
}

export interface Warning {
  warning_id: string
  case_id: string
  department_id: string
  item_code: string
  item_name: string
  step: string | null
  step_visit: number
  level: WarningLevel
  rule: string | null
  title: string
  message: string
  issued_at: string
  due_at: string | null
  recipients: string[]
  status: CardStatus
  history: CardEvent[]
  evidence: Record<string, unknown>
  version: number
}

export type Pause = components['schemas']['Pause']
export type Extension = components['schemas']['Extension']

/** The clock fields of the staff case view (models/views.py StaffCaseView). */
export interface CaseClock {
  step_reminder_at: string | null
  step_red_at: string | null
  acceptance_due_at: string | null
  deemed_accepted: boolean
  pauses: Pause[]
  extensions: Extension[]
  clock_paused: string | null
}

export type ClockedCaseView = StaffCaseView & CaseClock

export interface DepartmentCaseRow extends CaseSummary {
  applicant_name: string
  clock_paused: string | null
  pending_extension: Extension | null
}

export interface DepartmentCaseQuery {
  department?: string | null
  status?: CaseStatus | null
  step?: Step | null
  due?: DueWindow | null
  cursor?: string | null
  limit?: number
}

/** The filters of both warning lists; the server fills each page with matches. */
export interface WarningFilter {
  level?: WarningLevel | null
  status?: CardStatus | null
}

export interface WarningQuery extends WarningFilter {
  department?: string | null
  cursor?: string | null
  limit?: number
}

export interface InboxQuery extends WarningFilter {
  box?: string | null
  cursor?: string | null
  limit?: number
}

export type WalkInApplicant = components['schemas']['WalkInApplicant']
export type WindowApplicationRequest = components['schemas']['WindowApplicationRequest']

export interface CalendarDayView {
  date: string
  working: boolean
  national_working: boolean
  reason: string
}

export interface CalendarYearView {
  year: number
  trusted: boolean
  overrides: CalendarDayView[]
  national_holidays: { date: string; name: string }[]
  adjusted_workdays: string[]
}

const id = (value: string | number) => encodeURIComponent(String(value).trim())

export function officeEndpoints(api: ApiClient) {
  return {
    inbox: (query: InboxQuery) => api.get<Page<Warning>>('inbox', { query: { ...query } }),
    warnings: (query: WarningQuery) => api.get<Page<Warning>>('warnings', { query: { ...query } }),
    caseWarnings: (caseId: string) => api.get<Warning[]>(`cases/${id(caseId)}/warnings`),
    cardAction: (warningId: string, action: CardAction, reason: string | null) =>
      api.post<Warning>(`warnings/${id(warningId)}/actions`, { action, reason }),
    startProcedure: (caseId: string, reason: PauseReason, note: string | null) =>
      api.post<ClockedCaseView>(`cases/${id(caseId)}/special-procedures`, { reason, note }),
    endProcedure: (caseId: string, note: string | null) => api.post<ClockedCaseView>(`cases/${id(caseId)}/special-procedures/end`, { note }),
    requestExtension: (caseId: string, days: number, reason: string) =>
      api.post<ClockedCaseView>(`cases/${id(caseId)}/extensions`, { days, reason }),
    decideExtension: (caseId: string, extensionId: number, approve: boolean, note: string | null) =>
      api.post<ClockedCaseView>(`cases/${id(caseId)}/extensions/${id(extensionId)}/decision`, { approve, note }),
    departmentCases: (query: DepartmentCaseQuery) => api.get<Page<DepartmentCaseRow>>('department/cases', { query: { ...query } }),
    pendingExtensions: (cursor: string | null, limit: number) =>
      api.get<Page<DepartmentCaseRow>>('department/extensions', { query: { cursor, limit } }),
    /** 并联审批: the joint cases' extensions waiting for the city government's leader in charge. */
    governmentExtensions: (limit: number) => api.get<Page<DepartmentCaseRow>>('government/extensions', { query: { limit } }),
    windowApply: (request: WindowApplicationRequest, idempotencyKey: string) =>
      api.post<ApplicationReceipt>('window/applications', request, { idempotencyKey }),
    calendarYear: (year: number) => api.get<CalendarYearView>(`calendar/${year}`),
  }
}

export type OfficeEndpoints = ReturnType<typeof officeEndpoints>
