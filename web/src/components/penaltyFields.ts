// The penalty decisions' own fields (PenaltyActionFields.vue) and the body they add to a staff action.
import type { Decision, StaffAction, Step } from '@/api/types'

export interface PenaltyFields {
  officers: { name: string; certificate_number: string }[]
  intended_penalty_yuan: string
  legal_review_required: boolean
  collective_required: boolean
  hearing_at: string
  hearing_place: string
  penalty_yuan: string
}
export function emptyPenaltyFields(): PenaltyFields {
  return {
    officers: [
      { name: '', certificate_number: '' },
      { name: '', certificate_number: '' },
    ],
    intended_penalty_yuan: '',
    legal_review_required: false,
    collective_required: false,
    hearing_at: '',
    hearing_place: '',
    penalty_yuan: '',
  }
}

/** The body's penalty fields for this decision at this step (none for other decisions). */
export function penaltyBody(decision: Decision, step: Step | null | undefined, model: PenaltyFields): Partial<StaffAction> {
  if (decision === 'submit' && step === 'investigate') {
    return { officers: model.officers.map((o) => ({ name: o.name.trim(), certificate_number: o.certificate_number.trim() })).filter((o) => o.name || o.certificate_number) }
  }
  if (decision === 'notify') {
    return {
      intended_penalty_yuan: model.intended_penalty_yuan.trim() || null,
      legal_review_required: model.legal_review_required,
      collective_required: model.collective_required,
    }
  }
  if (decision === 'schedule_hearing') return { hearing_at: model.hearing_at, hearing_place: model.hearing_place.trim() }
  if (decision === 'penalize') return { penalty_yuan: model.penalty_yuan.trim() }
  return {}
}
