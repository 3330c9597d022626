// The catalog item editor's form state and its mapping to and from the API's item: amounts as
// numbers for the inputs and as "80.00" strings for the API, office hours as "HH:mm", the
// discretion range behind a switch, step limits for the staff steps only, each limit with its unit
// (工作日 / 自然日; a step's unit is sent only when it is calendar days, missing meaning working days).

import type { AnomalyRule, FullCatalogItem, RiskPoint, WarningRules } from '@/api/admin'
import { ANOMALY_RULES } from '@/api/admin'
import type { Category, FlowPattern, FormField, LimitStart, LimitUnit, Material, Step } from '@/api/types'

export interface FeeRow {
  name: string
  amount: number | null
  basis: string
}

export interface ItemForm {
  item_code: string
  name: string
  category: Category
  department_id: string
  legal_basis: string
  conditions: string
  materials: Material[]
  fees: FeeRow[]
  legal_limit_days: number
  promised_limit_days: number
  legal_limit_unit: LimitUnit
  promised_limit_unit: LimitUnit
  limit_starts_at: LimitStart
  step_limits: Partial<Record<Step, number>>
  /** A step's unit where it is set (missing: working days). */
  step_units: Partial<Record<Step, LimitUnit>>
  form_fields: FormField[]
  flow: FlowPattern
  refers_to_item_code: string | null // 行政检查: the penalty item a 移送立案 opens (kept as loaded)
  /** 并联审批: the co-departments and their opinion limits, kept as the item has them. */
  joint: ItemBody['joint']
  /** 上报件: the department one level up that decides (行政许可法 第三十五条). */
  upper_department_id: string | null
  warning_rules: WarningRules
  enabled_rules: AnomalyRule[]
  office_hours: { start: string; end: string }[]
  discretion_enabled: boolean
  discretion_min: number | null
  discretion_max: number | null
  discretion_basis: string
  risk_points: RiskPoint[]
}

export type ItemBody = Omit<FullCatalogItem, 'published'>

export const DEFAULT_WARNING_RULES: WarningRules = {
  reminder_working_days: 1,
  supervision_working_days: 2,
  acceptance_working_days: 5,
  max_extension_days: 10,
  supplement_wait_working_days: 30,
}

const hhmm = (time: string) => time.slice(0, 5)
const withSeconds = (time: string) => (time.length === 5 ? `${time}:00` : time)
const yuan = (amount: number | null) => (amount === null || Number.isNaN(amount) ? '' : amount.toFixed(2))
const number = (text: string | null | undefined) => (text === null || text === undefined || text === '' ? null : Number(text))

export function emptyForm(departmentId = ''): ItemForm {
  return {
    item_code: '',
    name: '',
    category: '行政许可',
    department_id: departmentId,
    legal_basis: '',
    conditions: '',
    materials: [{ material_id: 'application', name: '申请书', required: true, copies: '原件1份', note: '' }],
    fees: [],
    legal_limit_days: 20,
    promised_limit_days: 10,
    legal_limit_unit: 'working_days',
    promised_limit_unit: 'working_days',
    limit_starts_at: 'acceptance',
    step_limits: { accept: 1, supplement: 0, handle: 4, review: 2, approve: 2, complete: 1 },
    step_units: {},
    form_fields: [],
    flow: 'standard',
    refers_to_item_code: null,
    joint: null,
    upper_department_id: null,
    warning_rules: { ...DEFAULT_WARNING_RULES },
    enabled_rules: [...ANOMALY_RULES],
    office_hours: [
      { start: '08:30', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ],
    discretion_enabled: false,
    discretion_min: null,
    discretion_max: null,
    discretion_basis: '',
    risk_points: [],
  }
}

export function toForm(item: FullCatalogItem): ItemForm {
  const discretion = item.supervision?.discretion ?? null
  const limits: Partial<Record<Step, number>> = { ...item.step_limit_days }
  return {
    item_code: item.item_code,
    name: item.name,
    category: item.category,
    department_id: item.department_id,
    legal_basis: item.legal_basis,
    conditions: item.conditions,
    materials: item.materials.map((m) => ({ ...m })),
    fees: item.fees.map((f) => ({ name: f.name, amount: number(f.amount_yuan), basis: f.basis })),
    legal_limit_days: item.legal_limit_days,
    promised_limit_days: item.promised_limit_days,
    legal_limit_unit: item.legal_limit_unit ?? 'working_days',
    promised_limit_unit: item.promised_limit_unit ?? 'working_days',
    limit_starts_at: item.limit_starts_at ?? 'acceptance',
    step_limits: limits,
    step_units: { ...item.step_limit_units },
    form_fields: item.form_fields.map((f) => ({ ...f })),
    flow: item.flow,
    refers_to_item_code: item.refers_to_item_code ?? null,
    joint: item.joint ?? null,
    upper_department_id: item.upper_department_id ?? null,
    warning_rules: { ...DEFAULT_WARNING_RULES, ...item.warning_rules },
    enabled_rules: [...(item.supervision?.enabled_rules ?? ANOMALY_RULES)],
    office_hours: (item.supervision?.office_hours ?? []).map((h) => ({ start: hhmm(h.start), end: hhmm(h.end) })),
    discretion_enabled: discretion !== null,
    discretion_min: number(discretion?.min_yuan),
    discretion_max: number(discretion?.max_yuan),
    discretion_basis: discretion?.basis ?? '',
    risk_points: (item.supervision?.risk_points ?? []).map((r) => ({ ...r })),
  }
}

/** A step's limit until the editor sets one: 即办件's 当场办理 is the day of receipt (0). */
export const defaultStepLimit = (step: Step): number => (step === 'instant' ? 0 : 1)

/** `flowSteps`: the staff steps in flow order (GET /reference); only they carry a limit. */
export function toBody(form: ItemForm, flowSteps: readonly Step[]): ItemBody {
  const trim = (text: string) => text.trim()
  return {
    item_code: trim(form.item_code).toUpperCase(),
    name: trim(form.name),
    category: form.category,
    department_id: form.department_id,
    legal_basis: trim(form.legal_basis),
    conditions: trim(form.conditions),
    materials: form.materials.map((m) => ({ ...m, material_id: trim(m.material_id), name: trim(m.name) })),
    fees: form.fees.map((f) => ({ name: trim(f.name), amount_yuan: yuan(f.amount), basis: trim(f.basis) })),
    legal_limit_days: form.legal_limit_days,
    promised_limit_days: form.promised_limit_days,
    step_limit_days: Object.fromEntries(flowSteps.map((step) => [step, form.step_limits[step] ?? defaultStepLimit(step)])),
    legal_limit_unit: form.legal_limit_unit,
    promised_limit_unit: form.promised_limit_unit,
    step_limit_units: Object.fromEntries(flowSteps.filter((step) => form.step_units[step] === 'calendar_days').map((step) => [step, 'calendar_days' as const])),
    limit_starts_at: form.limit_starts_at,
    form_fields: form.form_fields.map((f) => ({ ...f, field_id: trim(f.field_id), label: trim(f.label) })),
    flow: form.flow,
    refers_to_item_code: form.refers_to_item_code,
    joint: form.flow === 'joint' ? form.joint : null,
    upper_department_id: form.flow === 'reported' ? form.upper_department_id : null,
    warning_rules: { ...form.warning_rules },
    supervision: {
      enabled_rules: ANOMALY_RULES.filter((rule) => form.enabled_rules.includes(rule)),
      office_hours: form.office_hours.map((h) => ({ start: withSeconds(h.start), end: withSeconds(h.end) })),
      discretion: form.discretion_enabled
        ? { min_yuan: yuan(form.discretion_min), max_yuan: yuan(form.discretion_max), basis: trim(form.discretion_basis) }
        : null,
      risk_points: form.risk_points.map((r) => ({ ...r, control_material_id: trim(r.control_material_id), name: trim(r.name) })),
    },
  }
}

/** The steps' limits counted in the promised limit's unit, added up (days of the other unit cannot
 * be added to them exactly: the server compares like with like too). */
export function stepLimitTotal(form: ItemForm, flowSteps: readonly Step[]): number {
  return flowSteps.filter((step) => (form.step_units[step] ?? 'working_days') === form.promised_limit_unit).reduce((sum, step) => sum + (form.step_limits[step] || 0), 0)
}

/** Rules the editor can check before sending (the API checks them again, and more). */
export function limitProblems(form: ItemForm, flowSteps: readonly Step[]): string[] {
  const problems = []
  if (form.promised_limit_unit === form.legal_limit_unit && form.promised_limit_days > form.legal_limit_days) problems.push('承诺时限不能超过法定时限')
  const total = stepLimitTotal(form, flowSteps)
  // A joint case's co-departments work in parallel: their days overlap, so no sum applies.
  if (form.flow !== 'joint' && total > form.promised_limit_days) problems.push(`各环节时限之和（${total}）不能超过承诺时限`)
  if (form.discretion_enabled && form.category !== '行政处罚') problems.push('只有行政处罚事项可以设置自由裁量范围')
  if (form.discretion_enabled && (form.discretion_min ?? 0) > (form.discretion_max ?? 0)) problems.push('自由裁量范围的下限超过了上限')
  return problems
}
