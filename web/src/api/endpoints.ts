// One function per API route (infra/constants.py ROUTES).

import type { ApiClient } from './client'
import type {
  ActionReceipt,
  ApplicantCaseView,
  ApplicationReceipt,
  ApplicationRequest,
  CaseSummary,
  CatalogItem,
  CatalogItemSummary,
  Category,
  ClaimCaseRequest,
  Department,
  DocumentList,
  DownloadLink,
  Me,
  Page,
  PartyStatementRequest,
  PublicCaseView,
  ReferenceData,
  ServerTime,
  Role,
  StaffAction,
  StaffCaseView,
  Step,
  SupplementRequest,
  TrackRequest,
  UploadRequest,
  UploadTicket,
} from './types'

const id = (value: string) => encodeURIComponent(value.trim())

export interface CatalogQuery {
  department?: string
  category?: Category | ''
  q?: string
  cursor?: string | null
  limit?: number
}

export interface WorklistQuery {
  role?: Role | null
  step?: Step | null
  cursor?: string | null
  limit?: number
}

export function endpoints(api: ApiClient) {
  return {
    // public
    departments: () => api.get<Department[]>('departments', { auth: false }),
    /** The departments of a government and of the levels below it (a district 监察局's to 督办). */
    departmentsWithin: (government: string) => api.get<Department[]>('departments', { auth: false, query: { government } }),
    serverTime: () => api.get<ServerTime>('clock', { auth: false }),
    reference: () => api.get<ReferenceData>('reference', { auth: false }),
    catalog: (query: CatalogQuery) => api.get<Page<CatalogItemSummary>>('catalog', { query: { ...query }, auth: false }),
    catalogItem: (itemCode: string) => api.get<CatalogItem>(`catalog/${id(itemCode)}`, { auth: false }),
    track: (request: TrackRequest) => api.post<PublicCaseView>('track', request, { auth: false }),
    // signed in
    me: () => api.get<Me>('me'),
    /** Ends every session of this account within a minute (the ID token alone would last an hour). */
    signOut: () => api.post<{ signed_out: boolean }>('me/sign-out', {}),
    createUpload: (request: UploadRequest) => api.post<UploadTicket>('uploads', request),
    apply: (request: ApplicationRequest, idempotencyKey: string) =>
      api.post<ApplicationReceipt>('applications', request, { idempotencyKey }),
    myCases: (cursor: string | null, limit: number) => api.get<Page<CaseSummary>>('my/cases', { query: { cursor, limit } }),
    myCase: (caseId: string) => api.get<ApplicantCaseView>(`my/cases/${id(caseId)}`),
    supplement: (caseId: string, request: SupplementRequest, idempotencyKey: string) =>
      api.post<ActionReceipt>(`my/cases/${id(caseId)}/supplement`, request, { idempotencyKey }),
    myCaseDocuments: (caseId: string) => api.get<DocumentList>(`my/cases/${id(caseId)}/documents`),
    myCaseDocumentLink: (caseId: string, documentId: string) =>
      api.get<DownloadLink>(`my/cases/${id(caseId)}/documents/${id(documentId)}`),
    claimCase: (request: ClaimCaseRequest) => api.post<ApplicantCaseView>('party/claims', request),
    partyStatement: (caseId: string, request: PartyStatementRequest, idempotencyKey: string) =>
      api.post<ActionReceipt>(`my/cases/${id(caseId)}/statement`, request, { idempotencyKey }),
    // staff and inspectors
    worklist: (query: WorklistQuery) => api.get<Page<CaseSummary>>('worklist', { query: { ...query } }),
    caseDetail: (caseId: string) => api.get<StaffCaseView>(`cases/${id(caseId)}`),
    act: (caseId: string, action: StaffAction, idempotencyKey: string) =>
      api.post<ActionReceipt>(`cases/${id(caseId)}/actions`, action, { idempotencyKey }),
    attachmentLink: (caseId: string, attachmentId: string) =>
      api.get<DownloadLink>(`cases/${id(caseId)}/attachments/${id(attachmentId)}`),
    caseDocuments: (caseId: string) => api.get<DocumentList>(`cases/${id(caseId)}/documents`),
    caseDocumentLink: (caseId: string, documentId: string) =>
      api.get<DownloadLink>(`cases/${id(caseId)}/documents/${id(documentId)}`),
  }
}

export type Endpoints = ReturnType<typeof endpoints>
