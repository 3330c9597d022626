// How an attachment's content check (上传文件校验) shows on a case: the server's label, a tag
// colour, the reason when it failed, and whether the file may be opened (only checked files).
import type { AttachmentView, UploadCheckStatus } from '@/api/types'
import type { Notification } from '@/api/social'

export type TagType = 'info' | 'success' | 'danger'

export const UPLOAD_CHECK_TAG: Record<UploadCheckStatus, TagType> = {
  checking: 'info',
  passed: 'success',
  failed: 'danger',
}

export interface UploadCheckDisplay {
  label: string
  tag: TagType
  reason: string | null
  openable: boolean
}

export function uploadCheckDisplay(attachment: Pick<AttachmentView, 'check_status' | 'check_status_label' | 'check_reason'>): UploadCheckDisplay {
  return {
    label: attachment.check_status_label,
    tag: UPLOAD_CHECK_TAG[attachment.check_status] ?? 'info',
    reason: attachment.check_status === 'failed' ? attachment.check_reason : null,
    openable: attachment.check_status === 'passed',
  }
}

/** Where opening a notification leads: its complaint, (an upload that failed its check) my cases,
 * or (a role granted, told to the chief inspector) the inspector log that records the grant. */
export function notificationTarget(note: Pick<Notification, 'subject_kind' | 'subject_id'>): string {
  if (note.subject_kind === 'upload') return '/my/cases'
  if (note.subject_kind === 'account') return '/inspector-log'
  return `/my/complaints/${encodeURIComponent(note.subject_id)}`
}
