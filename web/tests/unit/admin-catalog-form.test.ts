import { describe, expect, it } from 'vitest'

import type { FullCatalogItem } from '@/api/admin'
import type { Step } from '@/api/types'
import { emptyForm, limitProblems, toBody, toForm } from '@/lib/admin/catalogForm'

// The staff steps in flow order, as GET /reference serves them.
const FLOW: Step[] = ['accept', 'handle', 'review', 'approve', 'complete']

const ITEM: FullCatalogItem = {
  item_code: '420700-CF-0206',
  name: '食品经营违法行为处罚',
  category: '行政处罚',
  department_id: 'market',
  legal_basis: '《中华人民共和国食品安全法》第一百二十二条',
  conditions: '经立案调查，违法事实清楚。',
  materials: [{ material_id: 'record', name: '立案审批表', required: true, copies: '原件1份', note: '' }],
  fees: [{ name: '工本费', amount_yuan: '10.00', basis: '鄂价费〔2010〕1号' }],
  legal_limit_days: 60,
  promised_limit_days: 30,
  step_limit_days: { accept: 1, handle: 10, review: 5, approve: 5, complete: 2 },
  // 行政处罚法 第八十五条: its 90 days (第六十条) are calendar days, counted from 立案.
  legal_limit_unit: 'calendar_days',
  promised_limit_unit: 'working_days',
  step_limit_units: { handle: 'calendar_days' },
  limit_starts_at: 'registration',
  form_fields: [],
  flow: 'standard',
  refers_to_item_code: null,
  joint: null,
  upper_department_id: null,
  published: true,
  warning_rules: { reminder_working_days: 1, supervision_working_days: 2, acceptance_working_days: 5, max_extension_days: 10, supplement_wait_working_days: 30 },
  supervision: {
    enabled_rules: ['fee_mismatch', 'discretion_out_of_range'],
    office_hours: [{ start: '08:30:00', end: '12:00:00' }],
    discretion: { min_yuan: '5000.00', max_yuan: '100000.00', basis: '裁量基准第3条' },
    risk_points: [{ step: 'approve', control_material_id: 'hearing-notice', name: '听证告知', document_name: '听证告知书' }],
  },
}

describe('the catalog item form', () => {
  it('maps an item to the form and back unchanged (except publication)', () => {
    const form = toForm(ITEM)
    expect(form.fees[0].amount).toBe(10)
    expect(form.office_hours).toEqual([{ start: '08:30', end: '12:00' }])
    expect(form.discretion_enabled).toBe(true)
    const { published, ...rest } = ITEM
    expect(published).toBe(true)
    expect(toBody(form, FLOW)).toEqual(rest)
  })

  it('sends amounts with two decimals, no discretion when switched off, trimmed upper-case codes', () => {
    const form = toForm(ITEM)
    form.item_code = ' 420700-cf-0206 '
    form.fees[0].amount = 12.5
    form.discretion_enabled = false
    form.enabled_rules = ['discretion_out_of_range', 'out_of_order']
    const body = toBody(form, FLOW)
    expect(body.item_code).toBe('420700-CF-0206')
    expect(body.fees[0].amount_yuan).toBe('12.50')
    expect(body.supervision.discretion).toBeNull()
    expect(body.supervision.enabled_rules).toEqual(['out_of_order', 'discretion_out_of_range']) // the API's order
  })

  it('sends the upper department of a 上报件 only while the flow is 上报件', () => {
    const form = toForm({ ...ITEM, category: '行政许可', flow: 'reported', upper_department_id: 'market', department_id: 'echeng-market' })
    expect(form.upper_department_id).toBe('market')
    expect(toBody(form, FLOW).upper_department_id).toBe('market')
    form.flow = 'standard'
    expect(toBody(form, FLOW).upper_department_id).toBeNull()
  })

  it('names the limit problems before the API does', () => {
    const form = emptyForm('market')
    expect(limitProblems(form, FLOW)).toEqual([])
    form.promised_limit_days = 25
    form.step_limits.handle = 30
    expect(limitProblems(form, FLOW)).toEqual(['承诺时限不能超过法定时限', '各环节时限之和（36）不能超过承诺时限'])
    form.discretion_enabled = true
    expect(limitProblems(form, FLOW)).toContain('只有行政处罚事项可以设置自由裁量范围')
  })

  it('compares only limits of the same unit, as the API does', () => {
    const form = emptyForm('market')
    form.promised_limit_days = 25
    form.promised_limit_unit = 'calendar_days' // 25 calendar days beside 20 working days: not comparable
    form.step_units.handle = 'calendar_days'
    form.step_limits.handle = 30 // over 25 calendar days on its own
    expect(limitProblems(form, FLOW)).toEqual(['各环节时限之和（30）不能超过承诺时限'])
    form.step_limits.handle = 20 // the working-day steps (6) are not added to it
    expect(limitProblems(form, FLOW)).toEqual([])
  })

  it('sends a step unit only where it is calendar days (missing means working days)', () => {
    const form = emptyForm('market')
    expect(toBody(form, FLOW).step_limit_units).toEqual({})
    form.step_units.review = 'calendar_days'
    expect(toBody(form, FLOW).step_limit_units).toEqual({ review: 'calendar_days' })
    expect(toForm(ITEM).step_units).toEqual({ handle: 'calendar_days' })
    expect(toBody(toForm({ ...ITEM, step_limit_units: {} }), FLOW).step_limit_units).toEqual({})
  })
})
