// The JSON shapes of the API (layers/sunlight/python/sunlight/models/{views,requests,case,flow,catalog}.py).
// Datetimes are ISO 8601 strings with an offset; dates are "YYYY-MM-DD".

export type Step = 'accept' | 'supplement' | 'handle' | 'review' | 'approve' | 'complete'
export type CaseStatus =
  | 'submitted'
  | Step
  | 'completed'
  | 'rejected'
  | 'denied'
  | 'withdrawn'
  | 'suspended'
export type Role = 'citizen' | 'window' | 'handler' | 'reviewer' | 'leader' | 'inspector' | 'admin'
export type IdType = 'resident_id' | 'credit_code' | 'passport'

export const CATEGORIES = [
  '行政许可',
  '非许可审批',
  '行政处罚',
  '行政强制',
  '行政征收',
  '行政确认',
  '行政裁决',
  '行政检查',
  '行政给付',
  '行政征用',
  '行政奖励',
  '其他',
] as const
export type Category = (typeof CATEGORIES)[number]

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export interface Department {
  department_id: string
  name: string
  short_name: string
  phone: string
  address: string
}

export interface Material {
  material_id: string
  name: string
  required: boolean
  copies: string
  note: string
}

export interface Fee {
  name: string
  amount_yuan: string
  basis: string
}

export interface FormField {
  field_id: string
  label: string
  required: boolean
  max_length: number
}

export interface CatalogItemSummary {
  item_code: string
  name: string
  category: Category
  department_id: string
  department_name: string
  legal_limit_days: number
  promised_limit_days: number
  total_fee_yuan: string
  /** 依申请 items take online applications; 依职权 ones (处罚, 强制, 检查…) are opened by the department. */
  online_application: boolean
}

export interface CatalogItem {
  item_code: string
  name: string
  category: Category
  department_id: string
  legal_basis: string
  conditions: string
  materials: Material[]
  fees: Fee[]
  legal_limit_days: number
  promised_limit_days: number
  step_limit_days: Partial<Record<Step, number>>
  form_fields: FormField[]
  flow: string
  published: boolean
  online_application: boolean
}

export interface TimelineEntry {
  seq: number
  occurred_at: string
  action: string
  actor_name: string
  actor_role: string
  from_state: CaseStatus | null
  to_state: CaseStatus
  to_state_label: string
  opinion: string | null
  details: { missing_materials?: string[]; attachment_ids?: string[]; [key: string]: unknown }
}

/** The content check after upload (上传文件校验): checking until the check has run. */
export type UploadCheckStatus = 'checking' | 'passed' | 'failed'

export interface AttachmentView {
  attachment_id: string
  material_id: string | null
  file_name: string
  content_type: string
  size_bytes: number
  uploaded_at: string
  check_status: UploadCheckStatus
  check_status_label: string // 校验中 / 已校验 / 校验未通过, from the server
  check_reason: string | null // why it failed
}

export interface CaseSummary {
  case_id: string
  item_code: string
  item_name: string
  department_id: string
  department_name: string
  status: CaseStatus
  status_label: string
  step: Step | null
  step_due_at: string | null
  promised_due_on: string
  submitted_at: string
  updated_at: string
  /** The step's colour, read on the server's clock when the response was made (never the browser's). */
  due_state?: DueLevel
  /** Working days left in the step (negative: past its due day); null when the clock does not run. */
  remaining_working_days?: number | null
  /** Staff lists only: 日历未确认 (the limits run into a year without official 调休 data). */
  calendar_unconfirmed?: boolean
}

/** How close a case's step is to its limit: 超期, 临近, 正常, 不计时 (models/due.py DueState). */
export type DueLevel = 'overdue' | 'near' | 'normal' | 'none'

/** One limit of a case as the server reads it now (models/due.py LimitReading). */
export interface LimitReading {
  kind: 'step' | 'promised' | 'legal'
  due_on: string
  used_working_days: number
  remaining_working_days: number
  overdue: boolean
}

/** A case's clock as the server reads it now (models/due.py ClockReading). */
export interface ClockReading {
  as_of: string
  today: string
  due_state: DueLevel
  limits: LimitReading[]
  paused_working_days: number
  /** Per pause, in the order of the case's pauses. */
  pause_working_days: number[]
}

/** GET /clock: the server's now and the city's today, year and month ("YYYY-MM"). */
export interface ServerTime {
  now: string
  today: string
  year: number
  month: string
}

export interface PublicCaseView extends CaseSummary {
  applicant_name: string
  missing_materials: string[]
  decision_text: string | null
  result_text: string | null
  closed_at: string | null
  timeline: TimelineEntry[]
}

export interface ApplicantCaseView extends PublicCaseView {
  query_code: string
  form: Record<string, string>
  attachments: AttachmentView[]
  legal_due_on: string
  /** 补正期限 (at 补正 only): not supplemented by then, the application is withdrawn. */
  supplement_due_at?: string | null
}

export interface StaffApplicant {
  name: string
  id_type: IdType
  id_number: string
  phone: string
  address: string
}

export interface StaffCaseView extends ApplicantCaseView {
  applicant: StaffApplicant
  step_role: Role | null
  step_started_at: string | null
  actionable: boolean
  fee_yuan: string
  /** The limits as the server reads them now (absent only from older responses). */
  clock?: ClockReading | null
  /** 受理 (or, deemed accepted, the receipt): the limits run from it. */
  accepted_at: string | null
  calendar_unconfirmed: boolean
}

export interface Applicant {
  name: string
  id_type: IdType
  id_number: string
  phone: string
  address: string
}

export interface ApplicationRequest {
  item_code: string
  applicant: Applicant
  form: Record<string, string>
  upload_ids: string[]
}

export interface ApplicationReceipt {
  case_id: string
  query_code: string
  status: CaseStatus
  status_label: string
  promised_due_on: string
  submitted_at: string
}

export interface UploadRequest {
  file_name: string
  content_type: string
  size_bytes: number
  material_id?: string | null
}

export interface UploadTicket {
  upload_id: string
  url: string
  fields: Record<string, string>
  expires_in_seconds: number
  max_bytes: number
}

export interface SupplementRequest {
  upload_ids: string[]
  note?: string | null
}

export type StaffActionName =
  | 'accept'
  | 'reject'
  | 'request_supplement'
  | 'submit'
  | 'pass'
  | 'return'
  | 'approve'
  | 'deny'
  | 'complete'

export interface StaffAction {
  action: StaffActionName
  opinion?: string | null
  missing_materials?: string[]
}

export interface ActionReceipt {
  case_id: string
  decision: string
  message: string
}

export interface DownloadLink {
  url: string
  expires_in_seconds: number
}

export interface Me {
  user_id: string
  name: string
  roles: Role[]
  role_labels: string[]
  department_id: string | null
}

export interface TrackRequest {
  case_id: string
  query_code: string
}
