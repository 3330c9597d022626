// The signed-in session: tokens kept in sessionStorage (this tab only), the ID token renewed with
// REFRESH_TOKEN_AUTH before it expires (a timer, and a check before every API call), and one
// refresh at a time however many calls ask for it.

import { AuthError, type AuthBackend, type NewPasswordChallenge, type TokenSet } from './cognito'
import { decodeJwt, groupsOf } from './jwt'

/** Renew this long before the ID token expires. */
export const REFRESH_LEAD_MS = 5 * 60_000
/** An API call with less validity left than this refreshes first. */
export const MIN_VALIDITY_MS = 60_000
/** After a failed background refresh (network), try again after this long. */
export const RETRY_MS = 30_000
export const STORAGE_KEY = 'sunlight.session'

export interface SessionUser {
  userId: string
  username: string
  name: string
  groups: string[]
  department: string | null
  /** custom:government: a 监察局's 行政区划代码 (inspectors without a department); absent for everyone else. */
  government?: string
}

export interface Session {
  idToken: string
  accessToken: string
  refreshToken: string
  /** Milliseconds since the epoch, on this browser's clock. */
  expiresAt: number
  user: SessionUser
}

export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export type SessionEnd = 'signed_out' | 'expired'
export type SessionListener = (session: Session | null, ended?: SessionEnd) => void

/** When the background refresh should run: `lead` before expiry, never in the past. */
export function refreshDelay(expiresAt: number, now: number, lead = REFRESH_LEAD_MS): number {
  return Math.max(0, expiresAt - lead - now)
}

/** Whether a call now should refresh first. */
export function needsRefresh(expiresAt: number, now: number, minValidity = MIN_VALIDITY_MS): boolean {
  return expiresAt - now <= minValidity
}

/** Validity is counted on this browser's clock from ExpiresIn, so a skewed clock does not matter. */
export function sessionFrom(tokens: TokenSet, refreshToken: string, now: number): Session {
  const claims = decodeJwt(tokens.idToken)
  return {
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    refreshToken,
    expiresAt: now + tokens.expiresIn * 1000,
    user: {
      userId: claims.sub,
      username: String(claims['cognito:username'] ?? ''),
      name: String(claims.name ?? claims['cognito:username'] ?? ''),
      groups: groupsOf(claims),
      department: claims['custom:department'] ? String(claims['custom:department']) : null,
      ...(claims['custom:government'] ? { government: String(claims['custom:government']) } : {}),
    },
  }
}

export class TokenManager {
  private current: Session | null = null
  private timer: unknown = null
  private inFlight: Promise<Session | null> | null = null
  private readonly listeners = new Set<SessionListener>()

  constructor(
    private readonly backend: AuthBackend,
    private readonly storage: StorageLike,
    private readonly now: () => number = () => Date.now(),
    private readonly timers: Timers = {
      setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  ) {}

  get session(): Session | null {
    return this.current
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The session saved in this tab (a reload keeps the user signed in). */
  restore(): Session | null {
    const saved = this.storage.getItem(STORAGE_KEY)
    if (!saved) return null
    try {
      const session = JSON.parse(saved) as Session
      if (!session.idToken || !session.refreshToken || !session.user) throw new Error('incomplete')
      this.set(session)
    } catch {
      this.storage.removeItem(STORAGE_KEY)
    }
    return this.current
  }

  async login(username: string, password: string): Promise<Session> {
    const tokens = await this.backend.passwordAuth(username, password)
    if (!tokens.refreshToken) throw new AuthError('invalid_response', '登录服务暂时不可用，请稍后重试。')
    const session = sessionFrom(tokens, tokens.refreshToken, this.now())
    this.set(session)
    return session
  }

  /** Answers the new-password challenge of a first sign-in and signs in. */
  async completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<Session> {
    const tokens = await this.backend.completeNewPassword(challenge, newPassword)
    if (!tokens.refreshToken) throw new AuthError('invalid_response', '登录服务暂时不可用，请稍后重试。')
    const session = sessionFrom(tokens, tokens.refreshToken, this.now())
    this.set(session)
    return session
  }

  logout(ended: SessionEnd = 'signed_out'): void {
    this.clearTimer()
    this.inFlight = null
    const had = this.current !== null
    this.current = null
    this.storage.removeItem(STORAGE_KEY)
    if (had) this.emit(null, ended)
  }

  /** A valid ID token for an API call, refreshed first if it expires within MIN_VALIDITY_MS. */
  async idToken(): Promise<string | null> {
    const session = this.current
    if (!session) return null
    if (!needsRefresh(session.expiresAt, this.now())) return session.idToken
    const renewed = await this.refresh().catch(() => null)
    // A network failure leaves the old token: the API decides, and its 401 is handled by the caller.
    return (renewed ?? this.current)?.idToken ?? null
  }

  /** The API rejected the token (401): refresh once; null means the user has to sign in again.
   * When another call renewed the session after `rejected` was sent, its token is used as is:
   * parallel calls rejected together refresh once, not once each. */
  async refreshAfterRejection(rejected?: string): Promise<string | null> {
    if (!this.current) return null
    if (rejected && this.current.idToken !== rejected) return this.current.idToken
    const renewed = await this.refresh().catch(() => null)
    return renewed?.idToken ?? null
  }

  /** Renews the ID token; concurrent callers share one request. Cognito refusing ends the session. */
  refresh(): Promise<Session | null> {
    if (!this.current) return Promise.resolve(null)
    if (!this.inFlight) {
      const session = this.current
      this.inFlight = this.backend
        .refresh(session.refreshToken)
        .then((tokens) => {
          if (this.current !== session) return this.current // signed out (or in again) meanwhile
          const renewed = sessionFrom(tokens, tokens.refreshToken ?? session.refreshToken, this.now())
          this.set(renewed)
          return renewed
        })
        .catch((error: unknown) => {
          if (this.current === session) {
            if (error instanceof AuthError && error.rejected) this.logout('expired')
            else this.schedule(RETRY_MS)
          }
          throw error
        })
        .finally(() => {
          this.inFlight = null
        })
    }
    return this.inFlight
  }

  private set(session: Session): void {
    this.current = session
    this.storage.setItem(STORAGE_KEY, JSON.stringify(session))
    this.schedule(refreshDelay(session.expiresAt, this.now()))
    this.emit(session)
  }

  private schedule(delay: number): void {
    this.clearTimer()
    this.timer = this.timers.setTimeout(() => {
      this.timer = null
      this.refresh().catch(() => undefined)
    }, delay)
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
  }

  private emit(session: Session | null, ended?: SessionEnd): void {
    for (const listener of this.listeners) listener(session, ended)
  }
}
