// Errors of the API, in the words the API returns.
//
// The API answers {"code", "message"} with a Chinese message the user can act on; a 422 adds
// `errors: [{field, message}]` (request validation) or `details: {field}` (a business rule on one
// field). API Gateway itself answers some errors (401 from the authorizer, throttling, timeouts)
// with an English {"message"}; those get a Chinese message for their status instead.

export interface FieldError {
  field: string
  message: string
}

/** Messages for answers that do not come from our API (gateway, network, unreadable bodies). */
export const FALLBACK_MESSAGES: Record<string, string> = {
  network: '网络连接失败，请检查网络后重试。',
  400: '请求有误，请检查填写的内容。',
  401: '登录已过期或尚未登录，请重新登录。',
  403: '您无权进行此操作。',
  404: '请求的内容不存在。',
  408: '请求超时，您的操作可能未完成，请稍后查看后重试。',
  413: '提交的内容过大。',
  429: '请求过于频繁，请稍后重试。',
  500: '系统出现异常，您的操作可能未完成，请稍后查看后重试。',
  502: '系统暂时无法响应，您的操作可能未完成，请稍后查看后重试。',
  503: '系统繁忙，请稍后重试。',
  504: '系统响应超时，您的操作可能未完成，请稍后查看后重试。',
}

export function fallbackMessage(status: number): string {
  if (status === 0) return FALLBACK_MESSAGES.network
  return FALLBACK_MESSAGES[status] ?? (status >= 500 ? FALLBACK_MESSAGES[500] : FALLBACK_MESSAGES[400])
}

export class ApiError extends Error {
  /** HTTP status; 0 when no answer arrived (network failure). */
  readonly status: number
  /** The API's error code (not_found, forbidden, conflict, validation_error, …), or "network"/"http_<status>". */
  readonly code: string
  /** Message per field path ("applicant.phone", "form.shop_name", "upload_ids.0", "opinion"). */
  readonly fieldErrors: Record<string, string>
  readonly details: Record<string, unknown>

  constructor(
    status: number,
    code: string,
    message: string,
    fieldErrors: Record<string, string> = {},
    details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fieldErrors = fieldErrors
    this.details = details
  }

  /** No answer, or an answer that does not say whether the request took effect: retry with the same key. */
  get uncertain(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Builds the ApiError for a non-2xx answer from its status and (already read) body text. */
export function apiErrorFrom(status: number, bodyText: string): ApiError {
  let body: unknown
  try {
    body = bodyText ? JSON.parse(bodyText) : null
  } catch {
    body = null
  }
  // Our API always sends a code; API Gateway's own answers do not.
  if (!isRecord(body) || typeof body.code !== 'string' || typeof body.message !== 'string') {
    return new ApiError(status, `http_${status}`, fallbackMessage(status))
  }
  const fieldErrors: Record<string, string> = {}
  if (Array.isArray(body.errors)) {
    for (const entry of body.errors) {
      if (isRecord(entry) && typeof entry.field === 'string' && typeof entry.message === 'string') {
        // Several problems on one field: show them all.
        fieldErrors[entry.field] = fieldErrors[entry.field]
          ? `${fieldErrors[entry.field]}；${entry.message}`
          : entry.message
      }
    }
  }
  const details = isRecord(body.details) ? body.details : {}
  if (typeof details.field === 'string' && !(details.field in fieldErrors)) {
    fieldErrors[details.field] = body.message
  }
  return new ApiError(status, body.code, body.message, fieldErrors, details)
}

export function networkError(): ApiError {
  return new ApiError(0, 'network', fallbackMessage(0))
}

/** The message of any error, for display. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error && error.message) return error.message
  return FALLBACK_MESSAGES[500]
}

/** Field errors under a prefix, keyed by the rest of the path: ("applicant", {"applicant.phone": m}) → {phone: m}. */
export function fieldErrorsUnder(errors: Record<string, string>, prefix: string): Record<string, string> {
  const result: Record<string, string> = {}
  const start = prefix + '.'
  for (const [field, message] of Object.entries(errors)) {
    if (field.startsWith(start)) result[field.slice(start.length)] = message
  }
  return result
}
