import type { RouteRecordRaw } from 'vue-router'

const GROUP = 'nav.groups.supervision'

export const routes: RouteRecordRaw[] = [
  {
    path: '/supervision-orders',
    name: 'orders',
    component: () => import('@/views/orders/OrdersView.vue'),
    meta: { access: 'supervisor', title: 'orders.title', nav: { label: 'nav.orders', order: 62, test: 'nav-orders', group: GROUP } },
  },
  {
    path: '/department-orders',
    name: 'department-orders',
    component: () => import('@/views/orders/OrdersView.vue'),
    meta: { access: 'leader', title: 'orders.departmentTitle', nav: { label: 'nav.departmentOrders', order: 45, test: 'nav-department-orders' } },
  },
  {
    path: '/supervision-orders/:orderId',
    name: 'order',
    component: () => import('@/views/orders/OrderView.vue'),
    props: true,
    meta: { access: 'staffOrInspector', title: 'orders.detailTitle' },
  },
  {
    path: '/my/responsibilities',
    name: 'my-responsibilities',
    component: () => import('@/views/orders/ResponsibilitiesView.vue'),
    meta: { access: 'staff', title: 'orders.myTitle', nav: { label: 'nav.responsibilities', order: 46, test: 'nav-responsibilities' } },
  },
  {
    path: '/inspector-log',
    name: 'inspector-log',
    component: () => import('@/views/orders/InspectorLogView.vue'),
    meta: { access: 'cityInspector', title: 'inspectorLog.title', nav: { label: 'nav.inspectorLog', order: 64, test: 'nav-inspector-log', group: GROUP } },
  },
  {
    path: '/inspector-flags',
    name: 'inspector-flags',
    component: () => import('@/views/orders/InspectorFlagsView.vue'),
    meta: { access: 'chiefInspector', title: 'inspectorFlags.title', nav: { label: 'nav.inspectorFlags', order: 66, test: 'nav-inspector-flags', group: GROUP } },
  },
]
