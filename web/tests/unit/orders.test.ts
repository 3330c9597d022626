import { describe, expect, it } from 'vitest'

import type { SupervisionOrder } from '@/api/orders'
import { availableActions } from '@/lib/orders'

function order(overrides: Partial<SupervisionOrder> = {}): SupervisionOrder {
  return {
    order_id: 'DB1', department_id: 'market', source_kind: 'complaint', source_id: 'TS1', case_id: null, matter: '督办',
    deadline_days: 5, issued_by_name: '郑国华', issued_at: '2026-11-23T01:00:00Z', due_at: '2026-11-30T15:59:59Z',
    red_at: '2026-12-02T15:59:59Z', status: 'issued', responsibility: null, answer: null, answered_at: null, conclusion: null,
    conclusion_note: null, concluded_at: null, overdue: false, past_due: false, escalations: [], history: [], version: 1, ...overrides,
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
