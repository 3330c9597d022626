import { describe, expect, it } from 'vitest'

import type { SupervisionOrder } from '@/api/orders'
import { availableActions, isLate } from '@/lib/orders'

function order(overrides: Partial<SupervisionOrder> = {}): SupervisionOrder {
  return {
    order_id: 'DB1', department_id: 'market', source_kind: 'complaint', source_id: 'TS1', case_id: null, matter: '督办',
    deadline_days: 5, issued_by_name: '郑国华', issued_at: '2026-11-23T01:00:00Z', due_at: '2026-11-30T15:59:59Z',
    red_at: '2026-12-02T15:59:59Z', status: 'issued', responsibility: null, answer: null, answered_at: null, conclusion: null,
    conclusion_note: null, concluded_at: null, overdue: false, escalations: [], history: [], version: 1, ...overrides,
  }
}

const city = { userId: 'c', groups: ['inspector'], department: null }
const office = { userId: 'o', groups: ['inspector'], department: 'market' }
const otherOffice = { userId: 'p', groups: ['inspector'], department: 'planning' }
const handler = { userId: 'h', groups: ['handler'], department: 'market' }

describe('availableActions', () => {
  it('gives the 监察室 of the department the issued order, and the city nothing yet', () => {
    expect(availableActions(order(), office)).toEqual(['establish_responsibility', 'answer'])
    expect(availableActions(order(), otherOffice)).toEqual([])
    expect(availableActions(order(), city)).toEqual([])
  })

  it('lets only the person named dispute, once', () => {
    const named = { staff_user_id: 'h', staff_name: '李强', finding: 'f', established_by: 'o', established_at: '', dispute_reason: null, disputed_at: null, dispute_decision: null }
    const established = order({ status: 'responsibility_established', responsibility: named })
    expect(availableActions(established, handler)).toEqual(['dispute'])
    expect(availableActions(order({ status: 'responsibility_established', responsibility: { ...named, disputed_at: 'x' } }), handler)).toEqual([])
    expect(availableActions(order({ status: 'disputed', responsibility: named }), office)).toEqual(['decide_dispute'])
  })

  it('leaves the conclusion to the city inspector', () => {
    expect(availableActions(order({ status: 'answered' }), city)).toEqual(['conclude'])
    expect(availableActions(order({ status: 'answered' }), office)).toEqual([])
    expect(availableActions(order({ status: 'concluded' }), city)).toEqual([])
  })
})

describe('isLate', () => {
  it('is late only while unanswered past the due time', () => {
    const after = new Date('2026-12-01T00:00:00Z')
    expect(isLate(order(), after)).toBe(true)
    expect(isLate(order(), new Date('2026-11-30T00:00:00Z'))).toBe(false)
    expect(isLate(order({ status: 'answered' }), after)).toBe(false)
  })
})

describe('fieldErrorsOf', () => {
  it('puts a business rule message next to its field', async () => {
    const { apiErrorFrom } = await import('@/api/errors')
    const { fieldErrorsOf } = await import('@/lib/orders')
    const error = apiErrorFrom(422, JSON.stringify({ code: 'invalid_input', message: '督办投诉时请选择督办部门。', details: { field: 'department_id' } }))
    expect(fieldErrorsOf(error)).toEqual({ department_id: '督办投诉时请选择督办部门。' })
    expect(fieldErrorsOf(new Error('x'))).toEqual({})
  })
})
