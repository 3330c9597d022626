import { describe, expect, it } from 'vitest'

import { ApiError } from '@/api/errors'
import { IdempotentSubmitter, newIdempotencyKey } from '@/lib/idempotency'

function keys() {
  let n = 0
  return () => `key-${++n}`
}

const noSleep = async () => undefined

describe('IdempotentSubmitter', () => {
  it('makes keys the API accepts', () => {
    const key = newIdempotencyKey()
    expect(key).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(newIdempotencyKey()).not.toBe(key)
  })

  it('retries an unanswered submission automatically with the same key', async () => {
    const submitter = new IdempotentSubmitter({ newKey: keys(), retries: 1, sleep: noSleep })
    const sent: string[] = []
    const result = await submitter.submit(async (key) => {
      sent.push(key)
      if (sent.length === 1) throw new ApiError(0, 'network', '网络连接失败')
      return 'SL-1'
    })
    expect(result).toBe('SL-1')
    expect(sent).toEqual(['key-1', 'key-1'])
    expect(submitter.pendingKey).toBeNull()
  })

  it("keeps the key for the user's retry while the outcome is unknown, even after edits", async () => {
    const submitter = new IdempotentSubmitter({ newKey: keys(), retries: 1, sleep: noSleep })
    const sent: string[] = []
    const failing = (status: number) => async (key: string) => {
      sent.push(key)
      throw new ApiError(status, `http_${status}`, '系统繁忙')
    }
    await expect(submitter.submit(failing(504))).rejects.toThrow('系统繁忙')
    expect(submitter.pendingKey).toBe('key-1')
    await expect(submitter.submit(failing(503))).rejects.toThrow()
    await expect(submitter.submit(failing(0))).rejects.toThrow()
    await submitter.submit(async (key) => sent.push(key))
    expect(new Set(sent)).toEqual(new Set(['key-1']))
    expect(sent).toHaveLength(7)
  })

  it('uses a new key after a success', async () => {
    const submitter = new IdempotentSubmitter({ newKey: keys() })
    const sent: string[] = []
    await submitter.submit(async (key) => sent.push(key))
    await submitter.submit(async (key) => sent.push(key))
    expect(sent).toEqual(['key-1', 'key-2'])
  })

  it('uses a new key after a refusal that changed nothing (422, 403, 409)', async () => {
    const submitter = new IdempotentSubmitter({ newKey: keys(), sleep: noSleep })
    const sent: string[] = []
    for (const status of [422, 403, 409]) {
      await expect(
        submitter.submit(async (key) => {
          sent.push(key)
          throw new ApiError(status, 'x', '请填写联系电话')
        }),
      ).rejects.toBeInstanceOf(ApiError)
      expect(submitter.pendingKey).toBeNull()
    }
    expect(sent).toEqual(['key-1', 'key-2', 'key-3'])
  })

  it('joins a second click to the submission under way instead of sending twice', async () => {
    const submitter = new IdempotentSubmitter({ newKey: keys() })
    let release!: (value: string) => void
    let sends = 0
    const send = () => {
      sends++
      return new Promise<string>((resolve) => (release = resolve))
    }
    const first = submitter.submit(send)
    const second = submitter.submit(send)
    expect(submitter.busy).toBe(true)
    release('SL-1')
    expect(await Promise.all([first, second])).toEqual(['SL-1', 'SL-1'])
    expect(sends).toBe(1)
    expect(submitter.busy).toBe(false)
  })

  it('forgets the key on reset', async () => {
    const submitter = new IdempotentSubmitter({ newKey: keys(), retries: 0 })
    await expect(submitter.submit(async () => Promise.reject(new ApiError(0, 'network', 'x')))).rejects.toThrow()
    expect(submitter.pendingKey).toBe('key-1')
    submitter.reset()
    expect(submitter.pendingKey).toBeNull()
  })
})
