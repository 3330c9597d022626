// The staff office pages: card inbox (staff and inspectors), department cases (leaders), window
// intake of walk-in applicants and its printable receipt (window clerks).
import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  {
    path: '/office/inbox',
    name: 'office-inbox',
    component: () => import('@/views/office/InboxView.vue'),
    meta: { access: 'inboxReader', title: 'office.inbox.title', nav: { label: 'office.nav.inbox', order: 45, test: 'nav-office-inbox', group: 'nav.groups.office' } },
  },
  {
    path: '/office/department',
    name: 'office-department',
    component: () => import('@/views/office/DepartmentView.vue'),
    meta: { access: 'leader', title: 'office.department.title', nav: { label: 'office.nav.department', order: 46, test: 'nav-office-department', group: 'nav.groups.office' } },
  },
  {
    path: '/office/window',
    name: 'office-window',
    component: () => import('@/views/office/WindowIntakeView.vue'),
    meta: { access: 'window', title: 'office.window.title', nav: { label: 'office.nav.window', order: 47, test: 'nav-office-window', group: 'nav.groups.office' } },
  },
  {
    path: '/office/receipt/:caseId',
    name: 'office-receipt',
    component: () => import('@/views/office/ReceiptView.vue'),
    props: true,
    meta: { access: 'window', title: 'office.receipt.title' },
  },
]
