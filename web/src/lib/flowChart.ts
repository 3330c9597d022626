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
    return { step, onward, others: merged(branches.filter((b) => b !== onward)) }
  })
}

/** Branches that lead to the same place alike, as one line: "同意 / 不同意 → 汇总意见". */
function merged(branches: FlowChartBranch[]): FlowChartBranch[] {
  const lines = new Map<string, FlowChartBranch>()
  for (const branch of branches) {
    const key = JSON.stringify([branch.to, branch.back, branch.conditional])
    const line = lines.get(key)
    if (line && line.label && branch.label) lines.set(key, { ...line, label: `${line.label} / ${branch.label}` })
    else if (!line) lines.set(key, branch)
    else lines.set(`${key}${lines.size}`, branch)
  }
  return [...lines.values()]
}

/** A step's limit as the page says it: "3个工作日", "15个自然日", "当日" (0 days: the day of receipt). */
export function limitParts(step: FlowChartStep): { days: number; unit: string } | null {
  if (step.limit_days === null || step.limit_days === undefined) return null
  return { days: step.limit_days, unit: step.limit_unit_label ?? '' }
}
