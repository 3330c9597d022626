// 分级考核: the districts' 监察局 as the city's 监察局 watches them (监督下级监察机构). The API
// refuses anyone but the city's inspectors; the ranking's level selector is on the rankings page.
import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  {
    path: '/evaluation/bureaus',
    name: 'evaluation-bureaus',
    component: () => import('@/views/evaluation/BureausView.vue'),
    meta: {
      access: 'cityInspector',
      title: 'evaluation.bureaus.title',
      nav: { label: 'evaluation.nav.bureaus', order: 70.5, test: 'nav-evaluation-bureaus', group: 'nav.groups.evaluation' },
    },
  },
]
