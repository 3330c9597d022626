// The HTTP client of the API: JSON in and out, the ID token in Authorization, one retry after a
// 401 with a refreshed token, every failure as an ApiError carrying the API's own message.

import { ApiError, apiErrorFrom, networkError } from './errors'

export type Query = Record<string, string | number | null | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Sent as Idempotency-Key: the same key on every retry of one submission. */
  idempotencyKey?: string
  /** Send the signed-in user's ID token (default: when one is available). */
  auth?: boolean
  signal?: AbortSignal
}

export interface TokenProvider {
  /** A valid ID token, refreshed first when it is about to expire; null when not signed in. */
  idToken(): Promise<string | null>
  /** The API said 401: refresh once; the new token, or null (then the user must sign in again). */
  refreshAfterRejection(rejected?: string): Promise<string | null>
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export class ApiClient {
  private readonly baseUrl: string

  constructor(
    baseUrl: string,
    private readonly tokens: TokenProvider | null = null,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/'
  }

  url(path: string, query?: Query): string {
    const url = this.baseUrl + path.replace(/^\//, '')
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') params.set(name, String(value))
    }
    const search = params.toString()
    return search ? `${url}?${search}` : url
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options)
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body })
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const useAuth = options.auth !== false && this.tokens !== null
    let token = useAuth ? await this.tokens!.idToken() : null
    let response = await this.send(method, path, options, token)
    if (response.status === 401 && useAuth && token) {
      token = await this.tokens!.refreshAfterRejection(token)
      if (token) response = await this.send(method, path, options, token)
    }
    const text = await response.text().catch(() => '')
    if (!response.ok) throw apiErrorFrom(response.status, text)
    if (!text) return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError(response.status, 'invalid_response', '系统返回的内容无法识别，请稍后重试。')
    }
  }

  private async send(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    if (token) headers.Authorization = token
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey
    try {
      return await this.fetchImpl(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'omit',
      })
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error
      throw networkError()
    }
  }
}
