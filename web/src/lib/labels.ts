// Presentation only: the tag colour of each case status the API serves. Labels, the flow's order
// and which statuses are closed come from GET /reference (stores/reference.ts).
import type { CaseStatus } from '@/api/types'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export const STATUS_TAG: Record<CaseStatus, TagType> = {
  submitted: 'info',
  accept: 'primary',
  supplement: 'warning',
  handle: 'primary',
  review: 'primary',
  approve: 'primary',
  complete: 'primary',
  instant: 'primary',
  opinion: 'primary',
  investigate: 'primary',
  notify: 'primary',
  statement: 'warning',
  hearing_notice: 'primary',
  hearing: 'primary',
  legal_review: 'primary',
  collective: 'primary',
  decide: 'primary',
  deliver: 'primary',
  execute: 'primary',
  on_spot: 'primary',
  inspect: 'primary',
  inspect_result: 'primary',
  rectification: 'warning',
  publicize: 'primary',
  preliminary_review: 'primary',
  report: 'primary',
  reported: 'primary',
  completed: 'success',
  rejected: 'danger',
  denied: 'danger',
  withdrawn: 'info',
  dropped: 'info',
  suspended: 'danger',
}

/** Timeline actions that turned a case back or down. */
export const ADVERSE_ACTIONS: ReadonlySet<string> = new Set(['reject', 'deny', 'return', 'suspend', 'drop', 'disagree', 'refer'])
