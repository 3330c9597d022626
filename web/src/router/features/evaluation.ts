// 绩效评估: department rankings, a department's detail and its drill-down, statistics (inspectors
// and admins; leaders see their own department), the score weights (系统管理, admins) and the
// public rankings (绩效公示). ECharts loads with these pages only.
import type { RouteRecordRaw } from 'vue-router'

const group = 'nav.groups.evaluation'

export const routes: RouteRecordRaw[] = [
  {
    path: '/evaluation/rankings',
    name: 'evaluation-rankings',
    component: () => import('@/views/evaluation/RankingsView.vue'),
    meta: { access: 'inspector', title: 'evaluation.rankings.title', nav: { label: 'evaluation.nav.rankings', order: 70, test: 'nav-evaluation-rankings', group } },
  },
  {
    path: '/evaluation/departments/:departmentId',
    name: 'evaluation-department',
    component: () => import('@/views/evaluation/DepartmentView.vue'),
    props: true,
    meta: { access: 'staffOrInspector', title: 'evaluation.department.title' },
  },
  {
    path: '/evaluation/departments/:departmentId/drilldown',
    name: 'evaluation-drilldown',
    component: () => import('@/views/evaluation/DrilldownView.vue'),
    props: true,
    meta: { access: 'staffOrInspector', title: 'evaluation.drilldown.title' },
  },
  {
    // A leader's own department (the API allows leaders and inspectors their own department only).
    path: '/evaluation/my-department',
    name: 'evaluation-my-department',
    component: () => import('@/views/evaluation/DepartmentView.vue'),
    meta: { access: 'leader', title: 'evaluation.department.title', nav: { label: 'evaluation.nav.myDepartment', order: 71, test: 'nav-evaluation-my-department', group } },
  },
  {
    path: '/statistics',
    name: 'statistics',
    component: () => import('@/views/evaluation/StatisticsView.vue'),
    meta: { access: 'inspector', title: 'evaluation.statistics.title', nav: { label: 'evaluation.nav.statistics', order: 72, test: 'nav-statistics', group } },
  },
  {
    path: '/evaluation/my-statistics',
    name: 'evaluation-my-statistics',
    component: () => import('@/views/evaluation/StatisticsView.vue'),
    meta: { access: 'leader', title: 'evaluation.statistics.title', nav: { label: 'evaluation.nav.myStatistics', order: 73, test: 'nav-evaluation-my-statistics', group } },
  },
  {
    path: '/admin/weights',
    name: 'admin-weights',
    component: () => import('@/views/evaluation/WeightsView.vue'),
    meta: { access: 'admin', title: 'evaluation.weights.title', nav: { label: 'evaluation.nav.weights', order: 95, test: 'nav-admin-weights', group: 'nav.groups.admin' } },
  },
  {
    path: '/public/rankings',
    name: 'public-rankings',
    component: () => import('@/views/evaluation/PublicRankingsView.vue'),
    meta: { access: 'public', title: 'evaluation.public.title', nav: { label: 'evaluation.nav.publicRankings', order: 25, test: 'nav-public-rankings' } },
  },
]
