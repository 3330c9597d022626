// The public 办理流程 (FlowChart.vue with a served chart): the steps of the item's state machine in
// order, who acts, the item's limits, the branches (补正, 退回, 不予受理) and the ends; a Parallel/Map
// part as lanes side by side. Chinese only: no id of the chart reaches the page.
import { createPinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'

import type { FlowChart as Chart, FlowChartStep } from '@/api/types'
import FlowChart from '@/components/FlowChart.vue'
import { i18n } from '@/i18n'
import { layOut } from '@/lib/flowChart'

const step = (node_id: string, label: string, role_label: string, limit_days: number | null, branches: FlowChartStep['branches']): FlowChartStep => ({
  node_id, kind: 'step', step: null, label, role_label, limit_days, limit_unit: limit_days === null ? null : 'working_days',
  limit_unit_label: limit_days === null ? null : '工作日', lanes: [], branches,
})
const branch = (decision: string, label: string, to: string | null, to_label: string, back = false) => ({ decision, label, to, to_label, conditional: false, back })

// As GET /catalog/{itemCode} serves the standard approval (tests/integration/test_admin_api.py).
const STANDARD: Chart = {
  pattern: 'standard',
  start: 'Accept',
  steps: [
    step('Accept', '受理', '窗口受理人员', 1, [
      branch('accept', '受理', 'Handle', '承办'), branch('reject', '不予受理', 'Rejected', '不予受理'), branch('request_supplement', '要求补正', 'Supplement', '补正材料'),
    ]),
    step('Supplement', '补正材料', '申请人', null, [branch('resubmit', '补正提交', 'Accept', '受理', true), branch('withdraw', '逾期未补正', 'Withdrawn', '视为撤回')]),
    step('Handle', '承办', '承办人', 3, [branch('submit', '提交承办意见', 'Review', '审核')]),
    step('Review', '审核', '审核人', 2, [branch('pass', '审核通过', 'Approve', '批准'), branch('return', '退回承办', 'Handle', '承办', true)]),
    step('Approve', '批准', '分管领导', 0, [branch('approve', '批准', 'Complete', '办结'), branch('deny', '不予批准', 'Denied', '不予批准')]),
    step('Complete', '办结', '窗口受理人员', 1, [branch('complete', '办结', 'Completed', '已办结')]),
  ],
  ends: [
    { node_id: 'Completed', outcome: 'completed', label: '已办结' },
    { node_id: 'Rejected', outcome: 'rejected', label: '不予受理' },
    { node_id: 'Withdrawn', outcome: 'withdrawn', label: '视为撤回' },
    { node_id: 'Denied', outcome: 'denied', label: '不予批准' },
  ],
}

const JOINT: Chart = {
  pattern: 'joint',
  start: 'Accept',
  steps: [
    step('Accept', '受理', '窗口受理人员', 1, [branch('accept', '受理', 'Opinions', '各协办部门并行出具意见')]),
    {
      node_id: 'Opinions', kind: 'parallel', step: null, label: '各协办部门并行出具意见', role_label: '', limit_days: null, limit_unit: null, limit_unit_label: null,
      lanes: [[step('Opinion', '会签意见', '承办人', 5, [branch('agree', '同意', null, '汇总意见'), branch('disagree', '不同意', null, '汇总意见')])]],
      branches: [{ decision: null, label: '', to: 'Approve', to_label: '批准', conditional: false, back: false }],
    },
    step('Approve', '批准', '分管领导', 2, [branch('approve', '批准', 'Completed', '已办结')]),
  ],
  ends: [{ node_id: 'Completed', outcome: 'completed', label: '已办结' }],
}

async function render(chart: Chart): Promise<string> {
  const app = createSSRApp(FlowChart, { chart }).use(createPinia()).use(i18n)
  return renderToString(app)
}

const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()

describe('the public flow chart', () => {
  it('draws the served steps in order with who acts and the item\'s own limits', async () => {
    const html = await render(STANDARD)
    const names = [...html.matchAll(/data-test="flow-step-name"[^>]*>([^<]+)</g)].map((m) => m[1])
    expect(names).toEqual(['受理', '补正材料', '承办', '审核', '批准', '办结'])
    const page = text(html)
    expect(page).toContain('受理 办理人：窗口受理人员 时限：1个工作日')
    expect(page).toContain('承办 办理人：承办人 时限：3个工作日')
    expect(page).toContain('批准 办理人：分管领导 时限：当日')
    expect(page).toContain('补正材料 办理人：申请人')
    expect(page).not.toMatch(/补正材料 办理人：申请人 时限/)
  })

  it('says every branch: 补正, 退回 and the ends, and the outcomes', async () => {
    const page = text(await render(STANDARD))
    expect(page).toContain('↓ 要求补正 2 补正材料') // the arrow to the next step drawn
    expect(page).toContain('不予受理 → 办理结果：不予受理')
    expect(page).toContain('补正提交 ↩ 回到 受理')
    expect(page).toContain('退回承办 ↩ 回到 承办')
    expect(page).toContain('逾期未补正 → 办理结果：视为撤回')
    expect(page).toContain('↓ 审核通过 5 批准')
    expect(page).toContain('办理结果 已办结 不予受理 视为撤回 不予批准')
  })

  it('shows no id of the chart, only Chinese', async () => {
    const page = text(await render(STANDARD))
    expect(page).not.toMatch(/[A-Za-z_]{3,}/)
  })

  it('draws a Map of the co-departments as lanes with where they lead', async () => {
    const html = await render(JOINT)
    expect(html).toContain('data-test="flow-parallel"')
    expect(html.match(/data-test="flow-lane"/g)).toHaveLength(1)
    const page = text(html)
    expect(page).toContain('各协办部门并行出具意见 会签意见 办理人：承办人 时限：5个工作日 同意 / 不同意 → 汇总意见')
    expect(page).not.toMatch(/[A-Za-z_]{3,}/)
  })
})

describe('laying out a chart', () => {
  it('takes the branch to the next step drawn as the arrow and keeps the others under the step', () => {
    const [accept, supplement, handle] = layOut(STANDARD.steps)
    expect(accept.onward?.label).toBe('要求补正')
    expect(accept.others.map((b) => b.label)).toEqual(['受理', '不予受理'])
    expect(supplement.onward).toBeNull() // 补正 goes back to 受理 or ends: no arrow down to 承办
    expect(handle.onward?.label).toBe('提交承办意见')
    expect(handle.others).toEqual([])
  })
})
