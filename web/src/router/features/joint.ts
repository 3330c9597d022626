// 并联审批: the city government leader's page of joint cases' extensions (行政许可法 第四十二条).
import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  {
    path: '/government/extensions',
    name: 'government-extensions',
    component: () => import('@/views/office/GovernmentExtensionsView.vue'),
    meta: {
      access: 'governmentLeader',
      title: 'government.extensions.title',
      nav: { label: 'government.nav.extensions', order: 48, test: 'nav-government-extensions', group: 'nav.groups.government' },
    },
  },
]
