// Social interaction (社会互动): complaints and notifications, satisfaction ratings, surveys.
// One function per route of functions/http_api/social_routes.py.

import type { ApiClient } from './client'
import type { DownloadLink, Page } from './types'

const id = (value: string) => encodeURIComponent(value.trim())

export type ComplaintStatus = 'filed' | 'accepted' | 'rejected' | 'dispatched' | 'answered' | 'concluded'
export type ComplaintAction = 'file' | 'accept' | 'reject' | 'dispatch' | 'answer' | 'conclude' | 'rate'

export interface ComplaintRating {
  score: number
  comment: string | null
  rated_at: string
}

export interface ComplaintSummary {
  complaint_id: string
  title: string
  status: ComplaintStatus
  status_label: string
  anonymous: boolean
  complainant_name: string | null
  department_id: string
  department_name: string
  case_id: string | null
  filed_at: string
  due_on: string | null
  overdue: boolean
  rated: boolean
}

export interface ComplaintView extends Omit<ComplaintSummary, 'rated'> {
  content: string
  item_name: string | null
  updated_at: string
  founded: boolean | null
  reason: string | null
  answer: string | null
  conclusion: string | null
  rating: ComplaintRating | null
  attachments: { attachment_id: string; file_name: string; content_type: string; size_bytes: number }[]
  history: { action: ComplaintAction; action_label: string; actor: string; at: string; to_status: ComplaintStatus; to_status_label: string; note: string | null }[]
  actions: ComplaintAction[]
}

export interface ComplaintRequest {
  case_id?: string | null
  department_id?: string | null
  title: string
  content: string
  anonymous: boolean
  upload_ids: string[]
}

export type ComplaintActionRequest =
  | { action: 'accept'; note?: string | null }
  | { action: 'reject'; reason: string }
  | { action: 'dispatch'; note?: string | null }
  | { action: 'answer'; answer: string }
  | { action: 'conclude'; founded: boolean; conclusion: string }

export interface Notification {
  notification_id: string
  at: string
  title: string
  body: string
  subject_kind: 'complaint' | 'upload' | 'account' // upload: the upload id; account: a user granted a role
  subject_id: string
  read: boolean
}

export interface RatingRequest {
  score: number
  comment?: string | null
}

export interface CaseRating {
  case_id: string
  rateable: boolean
  score: number | null
  comment: string | null
  rated_at: string | null
}

export type SurveyStatus = 'draft' | 'published' | 'closed'
export type QuestionKind = 'single' | 'multiple' | 'text'

export interface SurveySummary {
  survey_id: string
  title: string
  status: SurveyStatus
  status_label: string
  opens_on: string
  closes_on: string
  open_now: boolean
  question_count: number
}

export interface SurveyQuestion {
  question_id: string
  kind: QuestionKind
  title: string
  required: boolean
  options: { option_id: string; label: string }[]
}

export interface SurveyView extends SurveySummary {
  description: string
  questions: SurveyQuestion[]
}

export interface SurveyRequest {
  title: string
  description: string
  opens_on: string
  closes_on: string
  questions: { kind: QuestionKind; title: string; required: boolean; options: string[] }[]
}

export interface SurveyResults {
  survey: SurveyView
  answer_count: number
  questions: { question_id: string; kind: QuestionKind; title: string; options: { option_id: string; label: string; count: number }[] }[]
}

export interface TextAnswer {
  question_id: string
  text: string
  answered_at: string
}

export type Answers = Record<string, string[] | string>

interface Paging {
  cursor?: string | null
  limit?: number
}

export function socialApi(api: ApiClient) {
  return {
    // complaints
    fileComplaint: (request: ComplaintRequest, key: string) => api.post<ComplaintView>('complaints', request, { idempotencyKey: key }),
    myComplaints: (query: Paging) => api.get<Page<ComplaintSummary>>('my/complaints', { query: { ...query } }),
    myComplaint: (complaintId: string) => api.get<ComplaintView>(`my/complaints/${id(complaintId)}`),
    rateComplaint: (complaintId: string, request: RatingRequest) => api.post<ComplaintView>(`my/complaints/${id(complaintId)}/rating`, request),
    complaints: (query: Paging & { status?: ComplaintStatus | null }) => api.get<Page<ComplaintSummary>>('complaints', { query: { ...query } }),
    complaint: (complaintId: string) => api.get<ComplaintView>(`complaints/${id(complaintId)}`),
    actOnComplaint: (complaintId: string, request: ComplaintActionRequest, key: string) =>
      api.post<ComplaintView>(`complaints/${id(complaintId)}/actions`, request, { idempotencyKey: key }),
    complaintAttachment: (complaintId: string, attachmentId: string) =>
      api.get<DownloadLink>(`complaints/${id(complaintId)}/attachments/${id(attachmentId)}`),
    notifications: (query: Paging) => api.get<Page<Notification>>('my/notifications', { query: { ...query } }),
    markRead: (notificationId: string) => api.post<Notification>(`my/notifications/${id(notificationId)}/read`, undefined),
    // satisfaction
    rateCase: (caseId: string, request: RatingRequest, key: string) => api.post<CaseRating>(`my/cases/${id(caseId)}/rating`, request, { idempotencyKey: key }),
    myCaseRating: (caseId: string) => api.get<CaseRating>(`my/cases/${id(caseId)}/rating`),
    caseRating: (caseId: string) => api.get<CaseRating>(`cases/${id(caseId)}/rating`),
    // surveys
    openSurveys: (query: Paging) => api.get<Page<SurveySummary>>('surveys', { query: { ...query }, auth: false }),
    survey: (surveyId: string) => api.get<SurveyView>(`surveys/${id(surveyId)}`, { auth: false }),
    answerSurvey: (surveyId: string, answers: Answers) => api.post<{ survey_id: string; answered_at: string }>(`surveys/${id(surveyId)}/answers`, { answers }),
    createSurvey: (request: SurveyRequest, key: string) => api.post<SurveyView>('surveys', request, { idempotencyKey: key }),
    managedSurveys: (query: Paging & { status: SurveyStatus }) => api.get<Page<SurveySummary>>('inspector/surveys', { query: { ...query } }),
    publishSurvey: (surveyId: string) => api.post<SurveyView>(`surveys/${id(surveyId)}/publish`, undefined),
    closeSurvey: (surveyId: string) => api.post<SurveyView>(`surveys/${id(surveyId)}/close`, undefined),
    surveyResults: (surveyId: string) => api.get<SurveyResults>(`surveys/${id(surveyId)}/results`),
    textAnswers: (surveyId: string, question: string, query: Paging) =>
      api.get<Page<TextAnswer>>(`surveys/${id(surveyId)}/text-answers`, { query: { ...query, question } }),
  }
}

export type SocialApi = ReturnType<typeof socialApi>

/** The answers a citizen filled in, without the empty ones (the API checks required questions). */
export function answersOf(questions: SurveyQuestion[], filled: Record<string, string | string[]>): Answers {
  const answers: Answers = {}
  for (const question of questions) {
    const value = filled[question.question_id]
    if (question.kind === 'text') {
      const text = typeof value === 'string' ? value.trim() : ''
      if (text) answers[question.question_id] = text
    } else {
      const chosen = Array.isArray(value) ? value : value ? [value] : []
      if (chosen.length) answers[question.question_id] = chosen
    }
  }
  return answers
}

/** Questions the citizen has not answered although they must (shown before sending). */
export function missingRequired(questions: SurveyQuestion[], answers: Answers): string[] {
  return questions.filter((q) => q.required && !(q.question_id in answers)).map((q) => q.question_id)
}

/** ECharts bar options for one choice question's counts. */
export function barOption(question: SurveyResults['questions'][number]) {
  return {
    grid: { left: 8, right: 24, top: 10, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: question.options.map((o) => o.label), inverse: true },
    series: [{ type: 'bar', data: question.options.map((o) => o.count), label: { show: true, position: 'right' }, itemStyle: { color: '#c0392b' } }],
  }
}
