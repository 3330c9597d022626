// Cards (黄牌/红牌) and warnings as the office pages show them: which actions a person may take on a
// card (the lifecycle of models/warnings.py CARD_TRANSITIONS, and who may take each action), the
// open-card badge (the lists themselves are filtered by the server).

import type { CardAction, CardStatus, Warning, WarningLevel } from '@/api/office'

const TRANSITIONS: Record<CardStatus, CardAction[]> = {
  issued: ['acknowledge', 'appeal', 'revoke'],
  acknowledged: ['appeal', 'revoke'],
  appealed: ['uphold', 'revoke'],
  upheld: [],
  revoked: [],
}

export interface Actor {
  department: string | null
  isLeader: boolean
  isStaff: boolean
  isCityInspector: boolean
  isLevelInspector?: boolean // a district's (township's) 监察局: decides the appeals of its level and below
}

/** The actions the person may take on the warning now (reminders are information only). */
export function cardActions(warning: Warning, actor: Actor): CardAction[] {
  if (warning.level === 'reminder') return []
  return TRANSITIONS[warning.status].filter((action) => {
    // Appeals and revocations are judged by a 监察局 (the city's, or a district's for its level and
    // below: the server only lists those cards to it), not by the department.
    if (action === 'uphold' || action === 'revoke') return actor.isCityInspector || actor.isLevelInspector === true
    if (actor.department !== warning.department_id || !actor.isStaff) return false
    return action === 'appeal' ? actor.isLeader : true
  })
}

/** Actions that need a reason (the API refuses them without one). */
export const REASON_REQUIRED: ReadonlySet<CardAction> = new Set(['appeal', 'uphold', 'revoke'])

/** Still waiting for someone: issued and not acknowledged, or appealed and not decided. */
export function isOpen(warning: Warning): boolean {
  return warning.level !== 'reminder' ? warning.status === 'issued' || warning.status === 'appealed' : false
}

export function openCount(warnings: Warning[]): number {
  return warnings.filter(isOpen).length
}

/** The open-card badge of a server-paged list: a total only when the whole list is the page shown
 * (first page, no next one); otherwise it counts this page and says so. Null when nothing is open. */
export function openBadge(warnings: Warning[], pager: { index: number; hasNext: boolean }): { n: number; thisPageOnly: boolean } | null {
  const n = openCount(warnings)
  return n ? { n, thisPageOnly: pager.index > 0 || pager.hasNext } : null
}

export const LEVEL_TAG: Record<WarningLevel, 'info' | 'warning' | 'danger' | 'primary'> = {
  reminder: 'info',
  yellow: 'warning',
  red: 'danger',
  anomaly: 'primary',
}
