// The JSON shapes of the API, named for the SPA. Where the API has a schema, the shape is taken from
// schema.d.ts, which is generated from the API's OpenAPI document (`make web-types`; `make web` fails
// when it is stale), so a model that changes on the server fails type-checking here.
// Datetimes are ISO 8601 strings with an offset; dates are "YYYY-MM-DD".
import type { components } from './schema'

type Schemas = components['schemas']

/** A response as the API sends it: every field, defaults included (Powertools serialises the whole
 * model; the document marks defaulted fields optional because pydantic's schema does). */
type Served<T> = { [K in keyof T]-?: T[K] }

export type Step = Schemas['Step']
export type CaseStatus = Schemas['CaseStatus']
export type FlowPattern = Schemas['FlowPattern']
export type Decision = Schemas['Decision']
export type Role = Schemas['Role']
export type IdType = Schemas['IdType']
/** What a limit counts: 工作日 or 自然日 (labels from GET /reference). */
export type LimitUnit = Schemas['LimitUnit']
/** The event a case's limits count from: 收件, 受理 or 立案 (labels from GET /reference). */
export type LimitStart = Schemas['LimitStart']

/** The pages list the categories in the order GET /reference serves them (stores/reference.ts). */
export type Category = Schemas['Category']

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export type Department = Served<Schemas['Department']>
export type Material = Served<Schemas['Material']>
export type Fee = Schemas['Fee-Output']
export type FormField = Served<Schemas['FormField']>
/** 依申请 items take online applications; 依职权 ones (处罚, 强制, 检查…) are opened by the department. */
export type CatalogItemSummary = Served<Schemas['CatalogItemSummary']>
export type CatalogItem = Served<Schemas['PublicCatalogItem']>
/** 办理流程: drawn from the item's state machine with the item's own step limits (models/flow_chart.py). */
export type FlowChart = Schemas['FlowChart']
export type FlowChartStep = Schemas['FlowChartStep']
export type FlowChartBranch = Schemas['FlowChartBranch']
/** What a timeline entry recorded besides its opinion (models/views.py TimelineDetails). */
export type TimelineDetails = Schemas['TimelineDetails']
export type TimelineEntry = Schemas['TimelineEntry']

/** The content check after upload (上传文件校验): checking until the check has run. */
export type UploadCheckStatus = Schemas['UploadCheckStatus']
/** check_status_label (校验中 / 已校验 / 校验未通过) comes from the server; check_reason says why it failed. */
export type AttachmentView = Served<Schemas['AttachmentView']>

/** A case in a list. due_state is read on the server's clock (never the browser's);
 * remaining_working_days is null when the clock does not run; calendar_unconfirmed (日历未确认:
 * the limits run into a year without official 调休 data) is on staff lists only. */
export type CaseSummary = Served<Schemas['CaseSummary']> & { calendar_unconfirmed?: boolean }

/** How close a case's step is to its limit: 超期, 临近, 正常, 不计时 (models/due.py DueState). */
export type DueLevel = Schemas['DueState']
/** One limit of a case as the server reads it now (models/due.py LimitReading). */
export type LimitReading = Schemas['LimitReading']
/** A case's clock as the server reads it now (models/due.py ClockReading). */
export type ClockReading = Schemas['ClockReading']
/** GET /clock: the server's now and the city's today, year and month ("YYYY-MM"). */
export type ServerTime = Schemas['ServerTime']

export type PublicCaseView = Served<Schemas['PublicCaseView']>
/** supplement_due_at: 补正期限 (at 补正 only): not supplemented by then, the application is withdrawn. */
export type ApplicantCaseView = Served<Schemas['ApplicantCaseView']>

/** The applicant as staff see it: the identity number masked. */
export type StaffApplicant = Schemas['StaffApplicant']

/** clock: the limits as the server reads them now; accepted_at: 受理 (or, deemed accepted, the
 * receipt), from which the limits run. */
export type StaffCaseView = Served<Schemas['StaffCaseView']>

export type Applicant = Schemas['ApplicantInput']
export type ApplicationRequest = Schemas['ApplicationRequest']
export type ApplicationReceipt = Schemas['ApplicationReceipt']
export type UploadRequest = Schemas['UploadRequest']
export type UploadTicket = Schemas['UploadTicket']
export type SupplementRequest = Schemas['SupplementRequest']

type StaffActionSchema =
  | Schemas['AcceptAction']
  | Schemas['RejectAction']
  | Schemas['RequestSupplementAction']
  | Schemas['SubmitAction']
  | Schemas['PassAction']
  | Schemas['ReturnAction']
  | Schemas['ApproveAction']
  | Schemas['DenyAction']
  | Schemas['CompleteAction']
  | Schemas['InspectedAction']
  | Schemas['QualifiedAction']
  | Schemas['RectifyAction']
  | Schemas['ReferAction']
  | Schemas['RectifiedAction']
  | Schemas['PublishAction']
  | Schemas['DropAction']
  | Schemas['NotifyAction']
  | Schemas['ScheduleHearingAction']
  | Schemas['HeardAction']
  | Schemas['DiscussedAction']
  | Schemas['PenalizeAction']
  | Schemas['NoPenaltyAction']
  | Schemas['DeliveredAction']
  | Schemas['PaidAction']
  | Schemas['EnforceAction']
export type StaffActionName = StaffActionSchema['action']

/** POST /cases/{caseId}/actions: one of the API's action bodies, chosen by `action`. */
export interface StaffAction {
  action: StaffActionName
  opinion?: string | null
  missing_materials?: string[]
  /** 实施检查 (行政检查) or 调查取证 (行政处罚): the officers, at least two. */
  officers?: Schemas['Officer'][]
  /** 责令整改: the day by which the subject must have rectified. */
  rectification_due_on?: string
  // 行政处罚 (models/requests.py): 事先告知's marks, 听证通知, the fine
  intended_penalty_yuan?: string | null
  legal_review_required?: boolean
  collective_required?: boolean
  hearing_at?: string
  hearing_place?: string
  penalty_yuan?: string
}

/** The party of a penalty case online (services/penalty.py). */
export type ClaimCaseRequest = Schemas['ClaimCaseRequest']
export type PartyStatementRequest = Schemas['PartyStatementRequest']

export type ActionReceipt = Schemas['ActionReceipt']
export type DownloadLink = Schemas['DownloadLink']
/** A document (文书) a step issued: title, 文号, the timeline entry (seq) that issued it. */
export type DocumentView = Schemas['DocumentView']
export type DocumentList = Schemas['DocumentList']

/** GET /me: who is signed in (role_labels from the server's Role.label). */
export type Me = Schemas['MeView']

/** GET /reference: roles, steps (flow order), statuses, due states, categories, id types and
 * pause reasons with their labels, from the server's enums (stores/reference.ts loads it once). */
export type ReferenceData = Schemas['ReferenceData']

export type TrackRequest = Schemas['TrackRequest']
