// Supervision orders (督查督办), the inspector log (监察日志) and inspector flags.

import type { ApiClient } from './client'
import type { Page } from './types'

export type OrderStatus = 'issued' | 'responsibility_established' | 'disputed' | 'answered' | 'concluded'
export type OrderActionName = 'establish_responsibility' | 'dispute' | 'decide_dispute' | 'answer' | 'conclude'
export type SourceKind = 'warning' | 'complaint' | 'case'
/** Where an order comes from: an inspector's source, or 上级平台督办 (sent down by the higher-level platform). */
export type OrderSourceKind = SourceKind | 'upstream'
export type EscalationLevel = 'leader' | 'city' | 'upstream' | 'bureau'
export type Conclusion = 'well_founded' | 'corrected' | 'not_founded'

export interface OrderEvent {
  action: string
  actor_id: string
  actor_name: string
  actor_role: string
  text: string | null
  at: string
  from_status: OrderStatus | null
  to_status: OrderStatus
}

export interface Responsibility {
  staff_user_id: string
  staff_name: string
  finding: string
  established_by: string
  established_at: string
  dispute_reason: string | null
  disputed_at: string | null
  dispute_decision: 'maintain' | 'change' | null
}

export interface SupervisionOrder {
  order_id: string
  department_id: string
  source_kind: OrderSourceKind
  source_id: string
  case_id: string | null
  matter: string
  deadline_days: number
  issued_by_name: string
  /** The 监察局 that issued it (420700 the city's, or a district's code); null: from above or before levels. */
  issued_by_government_id?: string | null
  issued_at: string
  due_at: string
  red_at: string
  status: OrderStatus
  responsibility: Responsibility | null
  answer: string | null
  answered_at: string | null
  conclusion: Conclusion | null
  conclusion_note: string | null
  concluded_at: string | null
  overdue: boolean
  /** Unanswered past due_at on the server's clock when the response was made (before the sweep's `overdue`). */
  past_due: boolean
  escalations: { level: EscalationLevel; at: string; recipient: string }[]
  /** 上级平台督办: the higher-level platform's own id of the order (its answer goes back up). */
  upstream_order_id?: string | null
  upstream_platform_id?: string | null
  history: OrderEvent[]
  version: number
}

export interface IssueOrderRequest {
  source_kind: SourceKind
  source_id: string
  department_id?: string | null
  matter: string
  deadline_days: number
}

export interface OrderActionRequest {
  action: OrderActionName
  text?: string | null
  staff_user_id?: string | null
  decision?: 'maintain' | 'change' | null
  conclusion?: Conclusion | null
}

export interface StaffMember {
  user_id: string
  name: string
  username: string
  roles: string[]
  department_id: string | null
}

export interface OrderInboxEntry {
  recipient: string
  at: string
  level: EscalationLevel
  order: SupervisionOrder
}

export interface LogRecord {
  seq: number
  at: string
  user_id: string
  user_name: string
  roles: string[]
  department_id: string | null
  method: string
  route: string
  path: string
  path_params: Record<string, string>
  status: number
  source_ip: string | null
  user_agent: string | null
  prev_hash: string
  hash: string
  /** What the request did, in words (the API operation's summary), e.g. 下达督办. */
  action: string | null
}

export interface ChainBreak {
  seq: number
  found_seq: number | null
  reason: string
  message: string
  /** The external anchor the chain no longer matches (a cut-off tail or a rewrite); null: a break in the chain itself. */
  anchor_key?: string | null
}

export type VerificationStatus = 'running' | 'intact' | 'broken' | 'failed'

/** One verification of the log's hash chain, carried out in the background in bounded steps:
 * records 1..head_seq (the head when it started); `checked` grows as it goes. */
export interface LogVerificationRun {
  run_id: string
  started_by: string
  started_by_name: string
  started_at: string
  head_seq: number
  checked: number
  status: VerificationStatus
  first_break: ChainBreak | null
  message: string
  updated_at: string
  finished_at: string | null
  /** After an intact chain: the external anchors (监察日志外部锚点) it was checked against; null: not checked. */
  anchors_checked?: number | null
  /** Where the comparison reads on (the last anchor's key compared); null once all were. */
  anchors_after?: string | null
  newest_anchor_seq?: number | null
  newest_anchor_at?: string | null
}

export interface InspectorFlag {
  flag_id: string
  day: string
  user_id: string
  username: string
  user_name: string
  department_id: string | null
  reasons: { kind: 'idle' | 'unhandled_warnings'; detail: string; last_action_at: string | null; warning_ids: string[] }[]
  raised_at: string
}

type Cursor = { cursor?: string | null; limit?: number }

export function ordersApi(client: ApiClient) {
  return {
    issue: (body: IssueOrderRequest, idempotencyKey: string) =>
      client.post<SupervisionOrder>('/supervision-orders', body, { idempotencyKey }),
    list: (query: Cursor & { department?: string | null; status?: OrderStatus | '' | null }) =>
      client.get<Page<SupervisionOrder>>('/supervision-orders', { query }),
    inbox: (query: Cursor) => client.get<Page<OrderInboxEntry>>('/supervision-orders/inbox', { query }),
    get: (orderId: string) => client.get<SupervisionOrder>(`/supervision-orders/${encodeURIComponent(orderId)}`),
    candidates: (orderId: string) => client.get<StaffMember[]>(`/supervision-orders/${encodeURIComponent(orderId)}/candidates`),
    act: (orderId: string, body: OrderActionRequest) =>
      client.post<SupervisionOrder>(`/supervision-orders/${encodeURIComponent(orderId)}/actions`, body),
    myResponsibilities: (query: Cursor) => client.get<Page<SupervisionOrder>>('/my/responsibilities', { query }),
    log: (query: Cursor & { user?: string | null; since?: string | null; until?: string | null }) =>
      client.get<Page<LogRecord>>('/inspector-log', { query }),
    /** Starts a verification, or answers the one still going. */
    startVerification: () => client.post<LogVerificationRun>('/inspector-log/verifications', {}),
    latestVerification: () => client.get<LogVerificationRun>('/inspector-log/verifications/latest'),
    verification: (runId: string) => client.get<LogVerificationRun>(`/inspector-log/verifications/${encodeURIComponent(runId)}`),
    flags: (query: Cursor) => client.get<Page<InspectorFlag>>('/inspector-flags', { query }),
  }
}
