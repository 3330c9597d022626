import type { RouteRecordRaw } from 'vue-router'

// 数据交换对账: the city inspectors' view of what went up to the higher-level platform.
export const routes: RouteRecordRaw[] = [
  {
    path: '/inspector/exchange',
    name: 'exchange-reconciliation',
    component: () => import('@/views/exchange/ReconciliationView.vue'),
    meta: { access: 'cityInspector', title: 'exchange.title', nav: { label: 'exchange.nav', order: 66, test: 'nav-exchange', group: 'nav.groups.supervision' } },
  },
]
