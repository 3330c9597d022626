import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'

import { ApiClient } from '@/api/client'
import { endpoints } from '@/api/endpoints'
import type { ReferenceData } from '@/api/types'
import { DUE_TAG_TYPE } from '@/lib/due'
import { STATUS_TAG } from '@/lib/labels'
import { setServices, type Services } from '@/services'
import { useReferenceStore } from '@/stores/reference'
import schema from '../../src/api/schema.d.ts?raw'

import { jsonResponse, scriptedFetch } from './helpers'

// GET /reference as the server answers it (models/reference.py), cut to what these tests read.
const REFERENCE: ReferenceData = {
  roles: [
    { value: 'citizen', label: '申请人', staff: false, managed: false },
    { value: 'window', label: '窗口受理人员', staff: true, managed: true },
    { value: 'handler', label: '承办人', staff: true, managed: true },
    { value: 'leader', label: '分管领导', staff: true, managed: true },
    { value: 'admin', label: '系统管理员', staff: false, managed: true },
  ],
  steps: [
    { value: 'accept', label: '受理', role: 'window', staff: true, decisions: ['accept', 'request_supplement', 'reject'] },
    { value: 'supplement', label: '补正材料', role: 'citizen', staff: false, decisions: ['resubmit'] },
    { value: 'handle', label: '承办', role: 'handler', staff: true, decisions: ['submit'] },
    { value: 'approve', label: '批准', role: 'leader', staff: true, decisions: ['approve', 'deny'] },
    { value: 'complete', label: '办结', role: 'window', staff: true, decisions: ['complete'] },
  ],
  statuses: [
    { value: 'submitted', label: '已提交', closed: false },
    { value: 'accept', label: '待受理', closed: false },
    { value: 'completed', label: '已办结', closed: true },
    { value: 'suspended', label: '流程挂起', closed: true },
  ],
  due_states: [
    { value: 'overdue', label: '已超期' },
    { value: 'none', label: '不计时' },
  ],
  categories: [
    { value: '行政许可', on_application: true },
    { value: '行政处罚', on_application: false },
  ],
  id_types: [{ value: 'passport', label: '护照' }],
  pause_reasons: [
    { value: 'supplement', label: '补正材料', special: false },
    { value: 'hearing', label: '听证', special: true },
  ],
  limit_units: [
    { value: 'working_days', label: '工作日' },
    { value: 'calendar_days', label: '自然日' },
  ],
  limit_starts: [
    { value: 'receipt', label: '收件' },
    { value: 'acceptance', label: '受理' },
    { value: 'registration', label: '立案' },
  ],
  decisions: [
    { value: 'accept', label: '受理' },
    { value: 'agree', label: '同意' },
  ],
  flow_patterns: [
    { value: 'instant', label: '即办件', steps: ['instant', 'supplement'] },
    { value: 'standard', label: '承诺件', steps: ['accept', 'supplement', 'handle', 'review', 'approve', 'complete'] },
  ],
  system_actor: { value: 'system', label: '系统' },
  government_levels: [{ value: 'city', label: '市级' }],
}

function serverAnswering(...answers: (Response | Error)[]) {
  const fetch = scriptedFetch(...answers)
  const client = new ApiClient('https://api.example/prod/', null, fetch.fetchImpl)
  setServices({ api: endpoints(client), client } as unknown as Services)
  return fetch.calls
}

beforeEach(() => setActivePinia(createPinia()))

describe('the reference store', () => {
  it('asks GET /reference once, anonymously', async () => {
    const calls = serverAnswering(jsonResponse(200, REFERENCE))
    const reference = useReferenceStore()
    await Promise.all([reference.loadReference(), reference.loadReference()])
    await reference.loadReference()
    expect(calls.map((c) => c.url)).toEqual(['https://api.example/prod/reference'])
    expect(calls[0].headers.Authorization).toBeUndefined()
  })

  it('asks again after a failure', async () => {
    const calls = serverAnswering(new TypeError('offline'), jsonResponse(200, REFERENCE))
    const reference = useReferenceStore()
    await expect(reference.loadReference()).rejects.toBeTruthy()
    expect(reference.stepLabel('accept')).toBe('')
    await reference.loadReference()
    expect(reference.stepLabel('accept')).toBe('受理')
    expect(calls).toHaveLength(2)
  })

  it('names and orders things as the server does', async () => {
    serverAnswering(jsonResponse(200, REFERENCE))
    const reference = useReferenceStore()
    await reference.loadReference()
    expect(reference.flowSteps).toEqual(['accept', 'handle', 'approve', 'complete']) // 补正 is not a staff step
    expect(reference.steps).toEqual(['accept', 'supplement', 'handle', 'approve', 'complete'])
    expect(reference.stepsOf('window')).toEqual(['accept', 'complete'])
    expect([reference.roleLabel('leader'), reference.roleLabel(null), reference.stepLabel('supplement')]).toEqual(['分管领导', '', '补正材料'])
    expect([reference.actorLabel('system'), reference.actorLabel('handler')]).toEqual(['系统', '承办人'])
    expect(reference.staffRoles).toEqual(['window', 'handler', 'leader'])
    expect(reference.managedRoles).toEqual(['window', 'handler', 'leader', 'admin'])
    expect(reference.openStatuses).toEqual(['submitted', 'accept'])
    expect([reference.isClosed('suspended'), reference.isClosed('accept')]).toEqual([true, false])
    expect(reference.statusLabel('completed')).toBe('已办结')
    expect(reference.categories).toEqual(['行政许可', '行政处罚'])
    expect([reference.idTypes, reference.idTypeLabel('passport')]).toEqual([['passport'], '护照'])
    expect([reference.specialPauseReasons, reference.pauseReasonLabel('hearing')]).toEqual([['hearing'], '听证'])
    expect([reference.dueStates, reference.dueStateLabel('overdue')]).toEqual([['overdue', 'none'], '已超期'])
  })
})

// The enums as the API documents them: schema.d.ts is generated from the served OpenAPI (`make
// web-types`) and `make web` fails while it is stale, so a value the API gains lands here.
function servedEnum(name: string): string[] {
  const union = new RegExp(`^\\s+${name}: ((?:"[^"]+"(?: \\| )?)+);$`, 'm').exec(schema)
  expect(union, `${name} in schema.d.ts`).not.toBeNull()
  return [...union![1].matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort()
}

describe('presentation kept in the SPA', () => {
  it('has a tag colour for every case status and due state the API serves', () => {
    expect(Object.keys(STATUS_TAG).sort()).toEqual(servedEnum('CaseStatus'))
    expect(Object.keys(DUE_TAG_TYPE).sort()).toEqual(servedEnum('DueState'))
  })
})
