// One Idempotency-Key per submission, reused on every retry of it.
//
// A key is made when the user submits and kept until the server has answered definitively:
// success, or a refusal that changed nothing (4xx other than 408/429). After a failure that
// leaves the outcome unknown (no answer, 408, 429, 5xx) the key is kept, so the next attempt —
// automatic or the user clicking again, with or without edits — cannot create a second case:
// the server recognises the key and answers with the first result. A click while a submission is
// still under way joins it instead of sending again.

export interface UncertainAware {
  uncertain?: boolean
}

export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export function isUncertain(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as UncertainAware).uncertain === true
}

export interface SubmitterOptions {
  newKey?: () => string
  /** Automatic retries after an uncertain failure, with the same key. */
  retries?: number
  retryDelayMs?: number
  sleep?: (ms: number) => Promise<void>
}

export class IdempotentSubmitter {
  private key: string | null = null
  private running: Promise<unknown> | null = null
  private readonly newKey: () => string
  private readonly retries: number
  private readonly retryDelayMs: number
  private readonly sleep: (ms: number) => Promise<void>

  constructor(options: SubmitterOptions = {}) {
    this.newKey = options.newKey ?? newIdempotencyKey
    this.retries = options.retries ?? 1
    this.retryDelayMs = options.retryDelayMs ?? 1000
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  /** The key the next attempt will use (null: a fresh one will be made). */
  get pendingKey(): string | null {
    return this.key
  }

  get busy(): boolean {
    return this.running !== null
  }

  submit<T>(send: (key: string) => Promise<T>): Promise<T> {
    if (this.running) return this.running as Promise<T>
    const key = (this.key ??= this.newKey())
    const attempt = async (): Promise<T> => {
      for (let retry = 0; ; retry++) {
        try {
          const result = await send(key)
          this.key = null
          return result
        } catch (error) {
          if (!isUncertain(error)) {
            this.key = null // refused; nothing was created under this key
            throw error
          }
          if (retry >= this.retries) throw error // keep the key for the user's retry
          await this.sleep(this.retryDelayMs * (retry + 1))
        }
      }
    }
    const running = attempt().finally(() => {
      this.running = null
    })
    this.running = running
    return running
  }

  /** Forget the key (e.g. the user starts a new, different application). */
  reset(): void {
    if (!this.running) this.key = null
  }
}
