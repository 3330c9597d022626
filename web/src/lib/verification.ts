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
