// 行政检查 (双随机、一公开): the leader's plans and their draws, and the public 公示 of results.
import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  {
    path: '/inspection/plans',
    name: 'inspection-plans',
    component: () => import('@/views/inspection/PlansView.vue'),
    meta: { access: 'leader', title: 'inspection.plans.title', nav: { label: 'inspection.nav.plans', order: 48, test: 'nav-inspection-plans', group: 'nav.groups.office' } },
  },
  {
    path: '/inspection/plans/:planId',
    name: 'inspection-plan',
    component: () => import('@/views/inspection/PlanView.vue'),
    props: true,
    meta: { access: 'staffOrInspector', title: 'inspection.plan.title' },
  },
  {
    path: '/inspection-results',
    name: 'inspection-results',
    component: () => import('@/views/inspection/PublicResultsView.vue'),
    meta: { access: 'public', title: 'inspection.results.title', nav: { label: 'inspection.nav.results', order: 26, test: 'nav-inspection-results' } },
  },
]
