import { describe, expect, it } from 'vitest'

import { emptyPenaltyFields, penaltyBody } from '@/components/penaltyFields'

describe('penalty action fields (行政处罚)', () => {
  it('sends the officers only when closing an investigation, blank rows left out', () => {
    const model = emptyPenaltyFields()
    model.officers[0] = { name: ' 周敏 ', certificate_number: '42070020260011' }
    expect(penaltyBody('submit', 'investigate', model)).toEqual({ officers: [{ name: '周敏', certificate_number: '42070020260011' }] })
    expect(penaltyBody('submit', 'handle', model)).toEqual({})
  })

  it('sends the notice marks, the hearing and the fine with their decisions', () => {
    const model = { ...emptyPenaltyFields(), legal_review_required: true, hearing_at: '2026-12-21T09:30:00+08:00', hearing_place: ' 第一听证室 ', penalty_yuan: '8000' }
    expect(penaltyBody('notify', 'notify', model)).toEqual({ intended_penalty_yuan: null, legal_review_required: true, collective_required: false })
    expect(penaltyBody('schedule_hearing', 'hearing_notice', model)).toEqual({ hearing_at: '2026-12-21T09:30:00+08:00', hearing_place: '第一听证室' })
    expect(penaltyBody('penalize', 'on_spot', model)).toEqual({ penalty_yuan: '8000' })
    expect(penaltyBody('delivered', 'deliver', model)).toEqual({})
  })
})
