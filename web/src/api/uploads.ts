// Attachments: POST /uploads gives a presigned S3 POST (url + form fields); the file goes straight
// to S3 with those fields, and the application or supplement then names the upload_id.

import type { FetchLike } from './client'
import { ApiError } from './errors'
import type { UploadTicket } from './types'

export const ACCEPTED_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
}
export const ACCEPT_ATTRIBUTE = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png'

/** The browser's type for the file, or one guessed from its extension (some systems send none). */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type
  const extension = file.name.split('.').pop()?.toLowerCase() ?? ''
  return ACCEPTED_TYPES[extension] ?? 'application/octet-stream'
}

/** S3 answers errors as XML (<Code>EntityTooLarge</Code>); say what happened in Chinese. */
export function storageErrorMessage(status: number, bodyText: string, fileName: string): string {
  const code = /<Code>([^<]+)<\/Code>/.exec(bodyText)?.[1] ?? ''
  const reasons: Record<string, string> = {
    EntityTooLarge: '文件超过允许的大小',
    EntityTooSmall: '文件内容为空',
    AccessDenied: '上传授权已失效或文件不符合要求',
    ExpiredToken: '上传授权已过期',
    RequestTimeout: '上传超时',
  }
  const reason = reasons[code] ?? (status === 0 ? '网络连接失败' : `存储服务拒绝（${code || status}）`)
  return `附件“${fileName}”上传失败：${reason}，请重新上传。`
}

/** Sends the file to the presigned POST of `ticket`. Throws ApiError with a Chinese message. */
export async function postToStorage(
  ticket: UploadTicket,
  file: Blob,
  fileName: string,
  fetchImpl: FetchLike = (input, init) => fetch(input, init),
): Promise<void> {
  const form = new FormData()
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value)
  form.append('file', file, fileName) // S3 requires the file to be the last field
  let response: Response
  try {
    response = await fetchImpl(ticket.url, { method: 'POST', body: form, credentials: 'omit' })
  } catch {
    throw new ApiError(0, 'network', storageErrorMessage(0, '', fileName))
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '')
    throw new ApiError(response.status, 'upload_failed', storageErrorMessage(response.status, text, fileName))
  }
}

/** One attachment end to end: ask the API for a presigned POST, then send the file to storage. */
export async function uploadAttachment(
  createUpload: (request: { file_name: string; content_type: string; size_bytes: number; material_id?: string | null }) => Promise<UploadTicket>,
  file: File,
  materialId: string | null = null,
): Promise<string> {
  const ticket = await createUpload({
    file_name: file.name,
    content_type: contentTypeOf(file),
    size_bytes: file.size,
    material_id: materialId,
  })
  await postToStorage(ticket, file, file.name)
  return ticket.upload_id
}
