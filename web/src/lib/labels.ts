import type { CaseStatus, Step } from '@/api/types'

/** The staff steps in flow order (补正 is the applicant's loop back to 受理). */
export const FLOW_STEPS: Step[] = ['accept', 'handle', 'review', 'approve', 'complete']

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export const STATUS_TAG: Record<CaseStatus, TagType> = {
  submitted: 'info',
  accept: 'primary',
  supplement: 'warning',
  handle: 'primary',
  review: 'primary',
  approve: 'primary',
  complete: 'primary',
  completed: 'success',
  rejected: 'danger',
  denied: 'danger',
  withdrawn: 'info',
  suspended: 'danger',
}

export const CLOSED: ReadonlySet<CaseStatus> = new Set(['completed', 'rejected', 'denied', 'withdrawn', 'suspended'])

/** Timeline actions that turned a case back or down. */
export const ADVERSE_ACTIONS: ReadonlySet<string> = new Set(['reject', 'deny', 'return', 'suspend'])
