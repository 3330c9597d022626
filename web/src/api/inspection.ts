// 行政检查 (双随机、一公开): a department leader's inspection plans and their draws, and the public
// 公示 of inspection results (functions/http_api/inspection_routes.py).

import type { ApiClient } from './client'
import type { components } from './schema'
import type { Page } from './types'

type Schemas = components['schemas']
export type InspectionPlanRequest = Schemas['InspectionPlanRequest']
export type InspectionPlanView = Schemas['InspectionPlanView']
export type InspectionPlanSummary = Schemas['InspectionPlanSummary']
export type InspectionSubject = Schemas['InspectionSubject']
export type Officer = Schemas['Officer']
export type PublishedResult = Schemas['PublishedResult']

const id = (value: string) => encodeURIComponent(value.trim())

export function inspectionEndpoints(api: ApiClient) {
  return {
    createPlan: (request: InspectionPlanRequest, idempotencyKey: string) =>
      api.post<InspectionPlanView>('inspection-plans', request, { idempotencyKey }),
    plans: (cursor: string | null, limit: number) => api.get<Page<InspectionPlanSummary>>('inspection-plans', { query: { cursor, limit } }),
    plan: (planId: string) => api.get<InspectionPlanView>(`inspection-plans/${id(planId)}`),
    results: (cursor: string | null, limit: number) =>
      api.get<Page<PublishedResult>>('public/inspection-results', { query: { cursor, limit }, auth: false }),
  }
}

/** One subject per line: 名称，统一社会信用代码或身份证号，地址，联系电话 (commas, tabs or spaces between). */
export function parseSubjects(text: string): { subjects: InspectionSubject[]; bad: number[] } {
  const subjects: InspectionSubject[] = []
  const bad: number[] = []
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return
    const parts = line.split(/[,，\t]+/).map((part) => part.trim()).filter(Boolean)
    if (parts.length !== 4) {
      bad.push(index + 1)
      return
    }
    const [name, number, address, phone] = parts
    const idNumber = number.toUpperCase()
    const idType = /^\d{17}[\dX]$/.test(idNumber) ? 'resident_id' : 'credit_code'
    subjects.push({ name, id_type: idType, id_number: idNumber, address, phone })
  })
  return { subjects, bad }
}

/** One officer per line: 姓名，执法证号. */
export function parseOfficers(text: string): { officers: Officer[]; bad: number[] } {
  const officers: Officer[] = []
  const bad: number[] = []
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return
    const parts = line.split(/[,，\t ]+/).map((part) => part.trim()).filter(Boolean)
    if (parts.length !== 2) bad.push(index + 1)
    else officers.push({ name: parts[0], certificate_number: parts[1] })
  })
  return { officers, bad }
}
