// 系统管理 (administrators; the legal office 法制办 signs in as an administrator): the catalog of
// powers, departments, users and roles, the working-day calendar.
// The score-weights editor (考核权重, /admin/weights) joins this group from the evaluation
// feature's routes file (order 95).

import type { RouteRecordRaw } from 'vue-router'

const group = 'nav.groups.admin'

export const routes: RouteRecordRaw[] = [
  {
    path: '/admin/catalog',
    name: 'admin-catalog',
    component: () => import('@/views/admin/CatalogAdminView.vue'),
    meta: { access: 'admin', title: 'admin.catalog.title', nav: { label: 'admin.nav.catalog', order: 90, test: 'nav-admin-catalog', group } },
  },
  {
    path: '/admin/catalog/new',
    name: 'admin-catalog-new',
    component: () => import('@/views/admin/CatalogItemEditView.vue'),
    meta: { access: 'admin', title: 'admin.item.newTitle' },
  },
  {
    path: '/admin/catalog/:itemCode',
    name: 'admin-catalog-item',
    component: () => import('@/views/admin/CatalogItemEditView.vue'),
    props: true,
    meta: { access: 'admin', title: 'admin.item.title' },
  },
  {
    path: '/admin/departments',
    name: 'admin-departments',
    component: () => import('@/views/admin/DepartmentsView.vue'),
    meta: { access: 'admin', title: 'admin.departments.title', nav: { label: 'admin.nav.departments', order: 91, test: 'nav-admin-departments', group } },
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('@/views/admin/UsersView.vue'),
    meta: { access: 'admin', title: 'admin.users.title', nav: { label: 'admin.nav.users', order: 92, test: 'nav-admin-users', group } },
  },
  {
    path: '/admin/calendar',
    name: 'admin-calendar',
    component: () => import('@/views/admin/CalendarAdminView.vue'),
    meta: { access: 'admin', title: 'admin.calendar.title', nav: { label: 'admin.nav.calendar', order: 93, test: 'nav-admin-calendar', group } },
  },
]
