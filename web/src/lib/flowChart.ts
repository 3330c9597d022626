// How the public flow chart (办理流程) is laid out: the served chart's steps top to bottom; the branch
// that leads to the next step drawn is the arrow between them, every other branch is listed under
// its step (补正, 退回, 不予受理...). Nothing here invents a step: the chart comes from the state machine.
import type { FlowChartBranch, FlowChartStep } from '@/api/types'

export interface DrawnStep {
  step: FlowChartStep
  /** The branch to the next step drawn (the arrow below this step), if there is one. */
  onward: FlowChartBranch | null
  /** The other branches of the step. */
  others: FlowChartBranch[]
}

export function layOut(steps: readonly FlowChartStep[]): DrawnStep[] {
  return steps.map((step, index) => {
    const next = steps[index + 1]?.node_id
    const branches = step.branches ?? []
    const onward = branches.find((b) => b.to === next && !b.back && !b.conditional) ?? null
    return { step, onward, others: branches.filter((b) => b !== onward) }
  })
}

/** A step's limit as the page says it: "3个工作日", "15个自然日", "当日" (0 days: the day of receipt). */
export function limitParts(step: FlowChartStep): { days: number; unit: string } | null {
  if (step.limit_days === null || step.limit_days === undefined) return null
  return { days: step.limit_days, unit: step.limit_unit_label ?? '' }
}
