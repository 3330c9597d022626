import { describe, expect, it, vi } from 'vitest'

import { ApiClient, type TokenProvider } from '@/api/client'
import { ApiError, apiErrorFrom, fieldErrorsUnder, FALLBACK_MESSAGES } from '@/api/errors'

import { jsonResponse, scriptedFetch } from './helpers'

const BASE = 'http://127.0.0.1:8100/v1/'

function tokens(initial: string | null, refreshed: string | null = null): TokenProvider & { refreshes: number } {
  const provider = {
    refreshes: 0,
    idToken: async () => initial,
    refreshAfterRejection: async () => {
      provider.refreshes++
      return refreshed
    },
  }
  return provider
}

describe('error mapping', () => {
  it('keeps the API message and puts each 422 field error on its field', () => {
    const error = apiErrorFrom(
      422,
      JSON.stringify({
        code: 'validation_error',
        message: '提交的内容有误：请填写证件类型；联系电话的格式不正确',
        errors: [
          { field: 'applicant.id_type', message: '请填写证件类型' },
          { field: 'applicant.phone', message: '联系电话的格式不正确' },
        ],
      }),
    )
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(422)
    expect(error.code).toBe('validation_error')
    expect(error.message).toBe('提交的内容有误：请填写证件类型；联系电话的格式不正确')
    expect(error.fieldErrors).toEqual({ 'applicant.id_type': '请填写证件类型', 'applicant.phone': '联系电话的格式不正确' })
    expect(fieldErrorsUnder(error.fieldErrors, 'applicant')).toEqual({ id_type: '请填写证件类型', phone: '联系电话的格式不正确' })
    expect(error.uncertain).toBe(false)
  })

  it('joins several messages for one field', () => {
    const error = apiErrorFrom(
      422,
      JSON.stringify({ code: 'validation_error', message: 'x', errors: [{ field: 'opinion', message: 'a' }, { field: 'opinion', message: 'b' }] }),
    )
    expect(error.fieldErrors.opinion).toBe('a；b')
  })

  it('puts a business-rule 422 (details.field) on its field', () => {
    const error = apiErrorFrom(
      422,
      JSON.stringify({ code: 'invalid_input', message: '请填写申请表的“经营场所”', details: { field: 'form.address' } }),
    )
    expect(error.fieldErrors).toEqual({ 'form.address': '请填写申请表的“经营场所”' })
    expect(error.details).toEqual({ field: 'form.address' })
  })

  it.each([
    [404, 'not_found', '办件编号或查询码不正确，请核对后重试。'],
    [403, 'forbidden', '您无权办理其他部门的办件。'],
    [409, 'conflict', '该办件当前处于“受理”环节，不能执行“批准”。'],
    [503, 'unavailable', '系统繁忙，申请未提交成功，请稍后重试。'],
  ])('shows the API words for %i', (status, code, message) => {
    const error = apiErrorFrom(status, JSON.stringify({ code, message }))
    expect([error.status, error.code, error.message]).toEqual([status, code, message])
    expect(error.fieldErrors).toEqual({})
  })

  it('gives gateway answers without a code a Chinese message for their status', () => {
    expect(apiErrorFrom(401, '{"message": "Unauthorized"}').message).toBe(FALLBACK_MESSAGES[401])
    expect(apiErrorFrom(429, '{"message": "Too Many Requests"}').message).toBe(FALLBACK_MESSAGES[429])
    const timeout = apiErrorFrom(504, '<html>Gateway Timeout</html>')
    expect(timeout.message).toBe(FALLBACK_MESSAGES[504])
    expect(timeout.uncertain).toBe(true)
    expect(apiErrorFrom(418, '').message).toBe(FALLBACK_MESSAGES[400])
  })
})

describe('ApiClient', () => {
  it('sends JSON, the ID token and the Idempotency-Key, and drops empty query values', async () => {
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(201, { case_id: 'SL1' }))
    const client = new ApiClient(BASE.slice(0, -1), tokens('id-token'), fetchImpl)
    const result = await client.post('applications', { a: 1 }, { idempotencyKey: 'k'.repeat(32), query: { x: '', y: null, z: 2 } })
    expect(result).toEqual({ case_id: 'SL1' })
    expect(calls[0].url).toBe(`${BASE}applications?z=2`)
    expect(calls[0].init.method).toBe('POST')
    expect(calls[0].init.body).toBe('{"a":1}')
    expect(calls[0].headers).toMatchObject({
      Authorization: 'id-token',
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k'.repeat(32),
    })
  })

  it('sends no token on public calls', async () => {
    const provider = tokens('id-token')
    const spy = vi.spyOn(provider, 'idToken')
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(200, []))
    await new ApiClient(BASE, provider, fetchImpl).get('departments', { auth: false })
    expect(spy).not.toHaveBeenCalled()
    expect(calls[0].headers.Authorization).toBeUndefined()
  })

  it('refreshes once after a 401 and repeats the call with the new token', async () => {
    const provider = tokens('old', 'new')
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(401, { message: 'Unauthorized' }), jsonResponse(200, { ok: 1 }))
    const result = await new ApiClient(BASE, provider, fetchImpl).get('my/cases')
    expect(result).toEqual({ ok: 1 })
    expect(provider.refreshes).toBe(1)
    expect(calls.map((c) => c.headers.Authorization)).toEqual(['old', 'new'])
  })

  it('reports 401 in Chinese when the refresh fails', async () => {
    const provider = tokens('old', null)
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(401, { message: 'Unauthorized' }))
    const error = await new ApiClient(BASE, provider, fetchImpl).get<never>('my/cases').catch((e: ApiError) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect([error.status, error.message]).toEqual([401, FALLBACK_MESSAGES[401]])
    expect(calls).toHaveLength(1)
  })

  it('turns a failed connection into an uncertain network error', async () => {
    const { fetchImpl } = scriptedFetch(new TypeError('Failed to fetch'))
    const error = await new ApiClient(BASE, null, fetchImpl).post<never>('track', {}).catch((e: ApiError) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect([error.status, error.code, error.message, error.uncertain]).toEqual([0, 'network', FALLBACK_MESSAGES.network, true])
  })

  it('encodes path parameters', async () => {
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(200, {}))
    await new ApiClient(BASE, null, fetchImpl).get(`cases/${encodeURIComponent('A/B')}`)
    expect(calls[0].url).toBe(`${BASE}cases/A%2FB`)
  })
})
