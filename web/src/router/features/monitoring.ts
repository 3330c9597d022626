import type { RouteRecordRaw } from 'vue-router'

// 监察总览: first in the inspector's bar (before the catalog's order 10).
export const routes: RouteRecordRaw[] = [
  {
    path: '/overview',
    name: 'monitoring-overview',
    component: () => import('@/views/monitoring/OverviewView.vue'),
    meta: { access: 'inspector', title: 'monitoring.title', nav: { label: 'monitoring.nav', order: 5, test: 'nav-overview' } },
  },
]
