// Reference data used across pages, loaded once: the labels and orders of roles, steps, statuses,
// due states, categories, id types, pause reasons, limit units and start events (GET /reference, from the server's enums:
// loaded before the app mounts, main.ts), departments, and catalog items by code.

import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'

import type { CaseStatus, CatalogItem, Category, Decision, Department, DueLevel as DueState, FlowPattern, IdType, ReferenceData, Role, Step } from '@/api/types'
import { services } from '@/services'

export const useReferenceStore = defineStore('reference', () => {
  const data = shallowRef<ReferenceData | null>(null)
  let dataLoading: Promise<ReferenceData> | null = null

  /** GET /reference, once (a failed load is tried again next time). */
  function loadReference(): Promise<ReferenceData> {
    if (data.value) return Promise.resolve(data.value)
    dataLoading ??= services()
      .api.reference()
      .then((answer) => (data.value = answer))
      .finally(() => (dataLoading = null))
    return dataLoading
  }

  const labelsOf = <V extends string>(list: readonly { value: V; label: string }[] | undefined) => new Map<string, string>((list ?? []).map((e) => [e.value, e.label]))
  const roleLabels = computed(() => labelsOf(data.value?.roles))
  const stepLabels = computed(() => labelsOf(data.value?.steps))
  const statusLabels = computed(() => labelsOf(data.value?.statuses))
  const idTypeLabels = computed(() => labelsOf(data.value?.id_types))
  const pauseReasonLabels = computed(() => labelsOf(data.value?.pause_reasons))
  const dueStateLabels = computed(() => labelsOf(data.value?.due_states))
  const limitUnitLabels = computed(() => labelsOf(data.value?.limit_units))
  const limitStartLabels = computed(() => labelsOf(data.value?.limit_starts))
  /** What a limit counts (工作日, 自然日) and the events the limits start from (收件, 受理, 立案). */
  const limitUnits = computed(() => (data.value?.limit_units ?? []).map((u) => u.value))
  const limitStarts = computed(() => (data.value?.limit_starts ?? []).map((s) => s.value))
  const decisionLabels = computed(() => labelsOf(data.value?.decisions))

  /** Every step in the flow's order (补正 between 受理 and 承办). */
  const steps = computed<Step[]>(() => (data.value?.steps ?? []).map((s) => s.value))
  const staffStepSet = computed(() => new Set<string>((data.value?.steps ?? []).filter((s) => s.staff).map((s) => s.value)))
  /** Every step staff act at, of any flow pattern. */
  const staffSteps = computed<Step[]>(() => (data.value?.steps ?? []).filter((s) => s.staff).map((s) => s.value))
  /** A flow pattern's staff steps in its order: the steps that carry a time limit. */
  const staffStepsOf = (flow: FlowPattern): Step[] =>
    (data.value?.flow_patterns.find((f) => f.value === flow)?.steps ?? []).filter((s) => staffStepSet.value.has(s))
  /** The standard flow's staff steps (受理 → 承办 → 审核 → 批准 → 办结; 补正 is the applicant's loop). */
  const flowSteps = computed<Step[]>(() => staffStepsOf('standard'))
  const flowPatterns = computed<FlowPattern[]>(() => (data.value?.flow_patterns ?? []).map((f) => f.value))
  const flowPatternLabel = (flow: string): string => data.value?.flow_patterns.find((f) => f.value === flow)?.label ?? ''
  /** The statuses of a case still running (not 办结, 不予受理, 不予批准, 视为撤回, 流程挂起). */
  const openStatuses = computed<CaseStatus[]>(() => (data.value?.statuses ?? []).filter((s) => !s.closed).map((s) => s.value))
  const closedStatuses = computed(() => new Set<string>((data.value?.statuses ?? []).filter((s) => s.closed).map((s) => s.value)))
  const roles = computed<Role[]>(() => (data.value?.roles ?? []).map((r) => r.value))
  /** The roles the administrator grants (every role but the citizen's). */
  const managedRoles = computed(() => (data.value?.roles ?? []).filter((r) => r.managed).map((r) => r.value as Exclude<Role, 'citizen'>))
  /** A department's roles: window, handler, reviewer, leader (an account with one needs a department). */
  const staffRoles = computed<Role[]>(() => (data.value?.roles ?? []).filter((r) => r.staff).map((r) => r.value))
  const dueStates = computed<DueState[]>(() => (data.value?.due_states ?? []).map((d) => d.value))
  const categories = computed<Category[]>(() => (data.value?.categories ?? []).map((c) => c.value))
  const idTypes = computed<IdType[]>(() => (data.value?.id_types ?? []).map((i) => i.value))
  /** The special procedures staff start and end (听证, 检验检测, 专家评审, 公示公告). */
  const specialPauseReasons = computed(() => (data.value?.pause_reasons ?? []).filter((p) => p.special).map((p) => p.value))

  const roleLabel = (role: string | null | undefined): string => (role ? (roleLabels.value.get(role) ?? '') : '')
  /** Who acted on a timeline entry: a role's label, or the system's. */
  const actorLabel = (role: string): string =>
    role === data.value?.system_actor.value ? data.value.system_actor.label : (roleLabels.value.get(role) ?? role)
  const stepLabel = (step: string | null | undefined): string => (step ? (stepLabels.value.get(step) ?? '') : '')
  const statusLabel = (status: string): string => statusLabels.value.get(status) ?? ''
  const idTypeLabel = (idType: string): string => idTypeLabels.value.get(idType) ?? ''
  const pauseReasonLabel = (reason: string): string => pauseReasonLabels.value.get(reason) ?? ''
  const dueStateLabel = (state: string): string => dueStateLabels.value.get(state) ?? ''
  const limitUnitLabel = (unit: string): string => limitUnitLabels.value.get(unit) ?? ''
  const limitStartLabel = (start: string): string => limitStartLabels.value.get(start) ?? ''
  /** A decision's name (受理, 同意, 作出处罚决定…); '' for an action that is not a person's decision. */
  const decisionLabel = (decision: string): string => decisionLabels.value.get(decision) ?? ''
  /** What the actor of a step may decide, in the order the action panel offers it. */
  const decisionsOf = (step: Step): Decision[] => data.value?.steps.find((s) => s.value === step)?.decisions ?? []
  const isClosed = (status: string): boolean => closedStatuses.value.has(status)
  /** The steps a role acts at (e.g. the window: 受理 and 办结). */
  const stepsOf = (role: Role): Step[] => (data.value?.steps ?? []).filter((s) => s.staff && s.role === role).map((s) => s.value)

  const departments = ref<Department[]>([])
  let departmentsLoading: Promise<Department[]> | null = null
  const items = new Map<string, Promise<CatalogItem>>()

  function loadDepartments(): Promise<Department[]> {
    if (departments.value.length) return Promise.resolve(departments.value)
    departmentsLoading ??= services()
      .api.departments()
      .then((list) => (departments.value = list))
      .finally(() => (departmentsLoading = null))
    return departmentsLoading
  }

  function department(id: string | null | undefined): Department | undefined {
    return departments.value.find((d) => d.department_id === id)
  }

  /** A catalog item (cached; a failed load is retried next time). */
  function item(code: string): Promise<CatalogItem> {
    let loading = items.get(code)
    if (!loading) {
      loading = services().api.catalogItem(code)
      loading.catch(() => items.delete(code))
      items.set(code, loading)
    }
    return loading
  }

  return {
    data, loadReference, steps, flowSteps, staffSteps, staffStepsOf, flowPatterns, flowPatternLabel, openStatuses, roles, managedRoles, staffRoles, dueStates, categories, idTypes, specialPauseReasons, limitUnits, limitStarts,
    roleLabel, actorLabel, stepLabel, statusLabel, idTypeLabel, pauseReasonLabel, dueStateLabel, decisionLabel, decisionsOf, limitUnitLabel, limitStartLabel, isClosed, stepsOf,
    departments, loadDepartments, department, item,
  }
})
