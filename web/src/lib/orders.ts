// Which order actions the signed-in user may take now: the API's transition table, seen from the
// client (the API decides; this only shows the right buttons).

import { ApiError } from '@/api/errors'
import type { OrderActionName, OrderStatus, SupervisionOrder } from '@/api/orders'

export interface Viewer {
  userId: string
  groups: string[]
  department: string | null
}

const TRANSITIONS: Record<OrderActionName, { from: OrderStatus[]; actor: 'city' | 'office' | 'named' }> = {
  establish_responsibility: { from: ['issued'], actor: 'office' },
  dispute: { from: ['responsibility_established'], actor: 'named' },
  decide_dispute: { from: ['disputed'], actor: 'office' },
  answer: { from: ['issued', 'responsibility_established'], actor: 'office' },
  conclude: { from: ['answered'], actor: 'city' },
}

export function availableActions(order: SupervisionOrder, viewer: Viewer): OrderActionName[] {
  const inspector = viewer.groups.includes('inspector')
  return (Object.keys(TRANSITIONS) as OrderActionName[]).filter((action) => {
    const { from, actor } = TRANSITIONS[action]
    if (!from.includes(order.status)) return false
    if (actor === 'city') return inspector && !viewer.department
    if (actor === 'office') return inspector && viewer.department === order.department_id
    const named = order.responsibility
    return !!named && named.staff_user_id === viewer.userId && !named.disputed_at
  })
}

/** Field messages of a refused submission: 422 schema errors by field, and a business rule's field. */
export function fieldErrorsOf(caught: unknown): Record<string, string> {
  if (!(caught instanceof ApiError)) return {}
  const fields = { ...caught.fieldErrors }
  const field = caught.details?.field
  if (typeof field === 'string') fields[field] = caught.message
  return fields
}
