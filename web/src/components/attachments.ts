/** A file the user picked, and how its upload went. */
export interface UploadEntry {
  key: string
  name: string
  size: number
  status: 'uploading' | 'done' | 'failed'
  uploadId?: string
  error?: string
  /** Kept to retry a failed upload; not saved in drafts. */
  file?: File
}

export function uploadedIds(entries: UploadEntry[]): string[] {
  return entries.filter((e) => e.status === 'done' && e.uploadId).map((e) => e.uploadId!)
}

export function anyUploading(entries: UploadEntry[]): boolean {
  return entries.some((e) => e.status === 'uploading')
}

export function anyFailed(entries: UploadEntry[]): boolean {
  return entries.some((e) => e.status === 'failed')
}

/** What a draft keeps: finished uploads only (a File cannot be saved). */
export function savable(entries: UploadEntry[]): UploadEntry[] {
  return entries.filter((e) => e.status === 'done').map(({ key, name, size, status, uploadId }) => ({ key, name, size, status, uploadId }))
}
