// Administration (系统管理): catalog maintenance (法制办), departments, users and roles, and the
// working-day calendar. One function per route of infra/constants.py ROUTES.

import type { ApiClient } from './client'
import type { CatalogItem, CatalogItemSummary, Department, Page, Role, Step } from './types'

const id = (value: string) => encodeURIComponent(value.trim())

export type AnomalyRule =
  | 'out_of_order'
  | 'unauthorized_role'
  | 'fee_mismatch'
  | 'discretion_out_of_range'
  | 'risk_point_without_control_document'
  | 'repeated_or_late_supplement_request'
  | 'outside_working_hours'

export const ANOMALY_RULES: AnomalyRule[] = [
  'out_of_order',
  'unauthorized_role',
  'fee_mismatch',
  'discretion_out_of_range',
  'risk_point_without_control_document',
  'repeated_or_late_supplement_request',
  'outside_working_hours',
]

export interface WarningRules {
  reminder_working_days: number
  supervision_working_days: number
  acceptance_working_days: number
  max_extension_days: number
  /** 补正期限: working days the applicant has to supplement; past it the application is withdrawn. */
  supplement_wait_working_days: number
}

export interface OfficeHours {
  start: string // "08:30:00"
  end: string
}

export interface DiscretionRange {
  min_yuan: string
  max_yuan: string
  basis: string
}

export interface RiskPoint {
  step: Step
  control_material_id: string
  name: string
  document_name: string
}

export interface SupervisionRules {
  enabled_rules: AnomalyRule[]
  office_hours: OfficeHours[]
  discretion: DiscretionRange | null
  risk_points: RiskPoint[]
}

/** An item with everything the catalog stores about it (the public type leaves some out). */
export interface FullCatalogItem extends Omit<CatalogItem, 'online_application' | 'flow_chart'> {
  warning_rules: WarningRules
  supervision: SupervisionRules
}

export interface Revision {
  version: number
  updated_at: string | null
  updated_by: string | null
  updated_by_name: string | null
}

export interface AdminCatalogItem {
  item: FullCatalogItem
  revision: Revision
}

export interface AdminItemSummary extends CatalogItemSummary {
  published: boolean
  version: number
  updated_at: string | null
  updated_by_name: string | null
}

export interface FieldChange {
  field: string
  label: string
  before: string | null
  after: string | null
}

export interface CatalogChange {
  subject: string
  version: number
  action: 'create' | 'update' | 'publish' | 'unpublish'
  action_label: string
  changed_by: string
  changed_by_name: string
  changed_at: string
  changes: FieldChange[]
}

export interface AdminDepartment {
  department: Department
  revision: Revision
}

export interface DepartmentUpdate {
  name: string
  short_name: string
  phone: string
  address: string
  version: number | null
}

/** A role the administrator grants (GET /reference: `managed`); staff roles need a department. */
export type ManagedRole = Exclude<Role, 'citizen'>

export interface StaffUser {
  username: string
  user_id: string
  full_name: string
  department_id: string | null
  department_name: string | null
  roles: ManagedRole[]
  role_labels: string[]
  enabled: boolean
  status: string
  created_at: string | null
}

export interface UserRequest {
  full_name: string
  department_id: string | null
  roles: ManagedRole[]
}

export interface CreateUserRequest extends UserRequest {
  username: string
}

/** A new account, or an account whose password an administrator reset: the temporary password is shown once. */
export interface CreatedUser {
  user: StaffUser
  temporary_password: string
}

// --- the working-day calendar (calendar_routes.py) --------------------------------------------

export interface CalendarDayView {
  date: string
  working: boolean
  national_working: boolean
  reason: string
  updated_by: string
  updated_by_name: string
  updated_at: string
}

export interface CalendarYearView {
  year: number
  trusted: boolean
  national_data: boolean
  confirmed: boolean
  confirmed_by: string | null
  confirmed_by_name: string | null
  confirmed_at: string | null
  note: string | null
  warning: string | null
  overrides: CalendarDayView[]
  national_holidays: { date: string; name: string }[]
  adjusted_workdays: string[]
}

export interface CalendarChangeReceipt {
  date: string
  working: boolean | null
  reason: string | null
  effective_working: boolean
  recompute: 'queued' | 'completed'
}

export function adminEndpoints(api: ApiClient) {
  return {
    items: (query: { department?: string; cursor?: string | null; limit?: number }) =>
      api.get<Page<AdminItemSummary>>('admin/catalog/items', { query: { ...query } }),
    item: (code: string) => api.get<AdminCatalogItem>(`admin/catalog/items/${id(code)}`),
    createItem: (item: Omit<FullCatalogItem, 'published'>) => api.post<AdminCatalogItem>('admin/catalog/items', item),
    updateItem: (code: string, item: Omit<FullCatalogItem, 'published'> & { version: number }) =>
      api.request<AdminCatalogItem>('PUT', `admin/catalog/items/${id(code)}`, { body: item }),
    publish: (code: string, version: number) => api.post<AdminCatalogItem>(`admin/catalog/items/${id(code)}/publish`, { version }),
    unpublish: (code: string, version: number) =>
      api.post<AdminCatalogItem>(`admin/catalog/items/${id(code)}/unpublish`, { version }),
    itemHistory: (code: string, cursor: string | null, limit: number) =>
      api.get<Page<CatalogChange>>(`admin/catalog/items/${id(code)}/history`, { query: { cursor, limit } }),
    departments: () => api.get<AdminDepartment[]>('admin/departments'),
    saveDepartment: (departmentId: string, body: DepartmentUpdate) =>
      api.request<AdminDepartment>('PUT', `admin/departments/${id(departmentId)}`, { body }),
    departmentHistory: (departmentId: string, cursor: string | null, limit: number) =>
      api.get<Page<CatalogChange>>(`admin/departments/${id(departmentId)}/history`, { query: { cursor, limit } }),
    users: (query: { department?: string; cursor?: string | null; limit?: number }) =>
      api.get<Page<StaffUser>>('admin/users', { query: { ...query } }),
    createUser: (body: CreateUserRequest) => api.post<CreatedUser>('admin/users', body),
    updateUser: (username: string, body: UserRequest) => api.request<StaffUser>('PUT', `admin/users/${id(username)}`, { body }),
    setEnabled: (username: string, enabled: boolean) =>
      api.post<StaffUser>(`admin/users/${id(username)}/${enabled ? 'enable' : 'disable'}`, {}),
    resetPassword: (username: string) => api.post<CreatedUser>(`admin/users/${id(username)}/reset-password`, {}),
    calendarYear: (year: number) => api.get<CalendarYearView>(`calendar/${year}`),
    setCalendarDay: (date: string, working: boolean, reason: string) =>
      api.request<CalendarChangeReceipt>('PUT', `calendar/days/${date}`, { body: { working, reason } }),
    removeCalendarDay: (date: string) => api.request<CalendarChangeReceipt>('DELETE', `calendar/days/${date}`),
    confirmYear: (year: number, note: string) => api.post<CalendarYearView>(`calendar/${year}/confirm`, { note: note || null }),
  }
}

export type AdminEndpoints = ReturnType<typeof adminEndpoints>
