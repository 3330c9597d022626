// Fakes shared by the unit tests.

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** An unsigned JWT with these claims (the SPA only reads claims; the API verifies signatures). */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${base64Url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64Url(JSON.stringify(claims))}.c2lnbmF0dXJl`
}

export class MemoryStorage {
  data = new Map<string, string>()
  getItem(key: string): string | null {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value)
  }
  removeItem(key: string): void {
    this.data.delete(key)
  }
}

export interface RecordedCall {
  url: string
  init: RequestInit
  headers: Record<string, string>
}

/** A fetch that answers from a queue and records every call. */
export function scriptedFetch(...answers: (Response | Error)[]) {
  const calls: RecordedCall[] = []
  const fetchImpl = async (url: string, init: RequestInit = {}): Promise<Response> => {
    calls.push({ url, init, headers: { ...((init.headers as Record<string, string>) ?? {}) } })
    const answer = answers.shift()
    if (!answer) throw new Error(`unexpected call to ${url}`)
    if (answer instanceof Error) throw answer
    return answer
  }
  return { fetchImpl, calls }
}
