// Verification runs of the inspector log (监察日志校验) as the page shows them.

import type { LogVerificationRun } from '@/api/orders'

export function isRunning(run: LogVerificationRun | null): boolean {
  return run?.status === 'running'
}

/** Whole percent of the records checked, never 100 before the run has ended. */
export function progressPercent(run: LogVerificationRun): number {
  if (run.status !== 'running') return 100
  if (run.head_seq <= 0) return 0
  return Math.min(99, Math.floor((run.checked / run.head_seq) * 100))
}

export function resultType(run: LogVerificationRun): 'success' | 'error' | 'warning' {
  return run.status === 'intact' ? 'success' : run.status === 'broken' ? 'error' : 'warning'
}

/** The result's title (inspectorLog.results.*): a break found against an external anchor (a cut-off
 * tail or a rewrite the chain alone does not show) is named as such. */
export function resultKey(run: LogVerificationRun): string {
  return run.status === 'broken' && run.first_break?.anchor_key ? 'anchorBroken' : run.status
}

/** Whether the run got to the external anchors: null when it did not (running, or broken on the chain itself). */
export function anchorsChecked(run: LogVerificationRun): number | null {
  return run.anchors_checked ?? null
}
