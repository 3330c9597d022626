// Which order actions the signed-in user may take now: the API's transition table, seen from the
// client (the API decides; this only shows the right buttons).

import { ApiError } from '@/api/errors'
import type { OrderActionName, OrderStatus, SupervisionOrder } from '@/api/orders'
import type { Bureau } from '@/lib/levels'

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

/** Who may issue a 督办 (POST /supervision-orders): the city's 监察局, or a district's or township's
 * to the departments of its levels (services/orders.py); a 监察室 or a leader answers them. */
export function mayIssueOrders(bureau: Bureau): boolean {
  return bureau === 'city' || bureau === 'level'
}

/** The departments a 监察局 may choose to 督办, as the API lists them: the city's, every one; a
 * lower level's, its government's and those below (GET /departments?government=); others, none. */
export function issuableDepartments<D>(
  bureau: Bureau,
  government: string | null | undefined,
  api: { departments(): Promise<D[]>; departmentsWithin(government: string): Promise<D[]> },
): Promise<D[]> {
  if (bureau === 'city') return api.departments()
  if (bureau === 'level' && government) return api.departmentsWithin(government)
  return Promise.resolve([])
}
