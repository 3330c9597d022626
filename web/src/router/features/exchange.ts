import type { RouteRecordRaw } from 'vue-router'

// 数据交换对账: the city inspectors' view of what went up to the higher-level platform; 待核查接入消息:
// what came in from other systems and was refused as malformed (the API refuses anyone else).
export const routes: RouteRecordRaw[] = [
  {
    path: '/inspector/exchange',
    name: 'exchange-reconciliation',
    component: () => import('@/views/exchange/ReconciliationView.vue'),
    meta: { access: 'cityInspector', title: 'exchange.title', nav: { label: 'exchange.nav', order: 66, test: 'nav-exchange', group: 'nav.groups.supervision' } },
  },
  {
    path: '/inspector/exchange/quarantine',
    name: 'exchange-quarantine',
    component: () => import('@/views/exchange/QuarantineView.vue'),
    meta: { access: 'cityInspector', title: 'quarantine.title', nav: { label: 'quarantine.nav', order: 66.1, test: 'nav-quarantine', group: 'nav.groups.supervision' } },
  },
]
