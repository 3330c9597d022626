// Files from the API (statistics exports): fetched with the signed-in user's token — a plain link
// cannot carry the Authorization header — then saved through a temporary blob link.

import type { FetchLike, TokenProvider } from '@/api/client'
import { apiErrorFrom, networkError } from '@/api/errors'

export interface DownloadedFile {
  blob: Blob
  fileName: string
}

export interface FetchFileOptions {
  /** The media type asked for (API Gateway returns binary bodies as files only when Accept names them). */
  accept: string
  tokens: TokenProvider | null
  fetchImpl?: FetchLike
  /** Used when the answer names no file (a cross-origin answer may hide Content-Disposition). */
  fallbackName: string
}

/** The file name in a Content-Disposition header (RFC 6266: filename* wins over filename), or null. */
export function fileNameFrom(disposition: string | null | undefined): string | null {
  if (!disposition) return null
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition)
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''))
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition)
  if (!plain) return null
  const name = (plain[2] ?? plain[1]).trim()
  return name || null
}

/** GETs a file with the user's token (one retry with a refreshed token after a 401). */
export async function fetchFile(url: string, options: FetchFileOptions): Promise<DownloadedFile> {
  const fetchImpl: FetchLike = options.fetchImpl ?? ((input, init) => fetch(input, init))
  const send = async (token: string | null): Promise<Response> => {
    const headers: Record<string, string> = { Accept: options.accept }
    if (token) headers.Authorization = token
    try {
      return await fetchImpl(url, { method: 'GET', headers, credentials: 'omit' })
    } catch {
      throw networkError()
    }
  }
  let token = options.tokens ? await options.tokens.idToken() : null
  let response = await send(token)
  if (response.status === 401 && options.tokens && token) {
    token = await options.tokens.refreshAfterRejection(token)
    if (token) response = await send(token)
  }
  if (!response.ok) throw apiErrorFrom(response.status, await response.text().catch(() => ''))
  const blob = await response.blob()
  return { blob, fileName: fileNameFrom(response.headers.get('Content-Disposition')) ?? options.fallbackName }
}

export interface BlobLinkHost {
  createObjectURL(blob: Blob): string
  revokeObjectURL(url: string): void
  document: Pick<Document, 'createElement' | 'body'>
}

/** Saves a blob under a file name: a temporary <a download> clicked, its object URL released after. */
export function saveFile(file: DownloadedFile, host: BlobLinkHost = browserHost()): void {
  const url = host.createObjectURL(file.blob)
  const link = host.document.createElement('a')
  link.href = url
  link.download = file.fileName
  link.style.display = 'none'
  host.document.body.appendChild(link)
  try {
    link.click()
  } finally {
    link.remove()
    // The click starts the download synchronously; release the URL once it has begun.
    setTimeout(() => host.revokeObjectURL(url), 1000)
  }
}

function browserHost(): BlobLinkHost {
  return {
    createObjectURL: (blob) => URL.createObjectURL(blob),
    revokeObjectURL: (url) => URL.revokeObjectURL(url),
    document,
  }
}
