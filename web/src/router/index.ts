import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'

import { useAuthStore } from '@/stores/auth'

import { featureRoutes } from './features'

/** Who may open a page. */
export type Access =
  | 'public'
  | 'citizen'
  | 'staff'
  | 'window'
  | 'leader'
  | 'inspector'
  | 'supervisor'
  | 'cityInspector'
  | 'chiefInspector'
  | 'staffOrInspector'
  | 'inboxReader'
  | 'admin'
  | 'governmentLeader'

/** A page's entry in the top navigation (pages without one are reached from other pages). */
export interface NavEntry {
  /** i18n key of the link text. */
  label: string
  /** Position in the bar, ascending; links of one group keep this order inside the group. */
  order: number
  /** data-test attribute of the link. */
  test: string
  /** i18n key of the drop-down the link sits in (e.g. 'nav.groups.supervision'); none: a top-level link. */
  group?: string
}

declare module 'vue-router' {
  interface RouteMeta {
    access: Access
    /** i18n key of the page title. */
    title?: string
    nav?: NavEntry
  }
}

export const router = createRouter({
  history: createWebHistory(),
  scrollBehavior: () => ({ top: 0 }),
  routes: [
    { path: '/', redirect: '/catalog', meta: { access: 'public' } },
    { path: '/catalog', name: 'catalog', component: () => import('@/views/public/CatalogView.vue'), meta: { access: 'public', title: 'catalog.title' } },
    { path: '/catalog/:itemCode', name: 'item', component: () => import('@/views/public/ItemView.vue'), props: true, meta: { access: 'public' } },
    { path: '/track', name: 'track', component: () => import('@/views/public/TrackView.vue'), meta: { access: 'public', title: 'track.title' } },
    { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { access: 'public', title: 'login.title' } },
    { path: '/apply/:itemCode', name: 'apply', component: () => import('@/views/citizen/ApplyView.vue'), props: true, meta: { access: 'citizen', title: 'apply.title' } },
    { path: '/my/cases', name: 'my-cases', component: () => import('@/views/citizen/MyCasesView.vue'), meta: { access: 'citizen', title: 'myCases.title' } },
    { path: '/my/penalty-cases/claim', name: 'claim-case', component: () => import('@/views/citizen/ClaimCaseView.vue'), meta: { access: 'citizen', title: 'party.claimTitle' } },
    { path: '/my/cases/:caseId', name: 'my-case', component: () => import('@/views/citizen/MyCaseView.vue'), props: true, meta: { access: 'citizen', title: 'caseView.title' } },
    { path: '/worklist', name: 'worklist', component: () => import('@/views/staff/WorklistView.vue'), meta: { access: 'staff', title: 'worklist.title' } },
    { path: '/cases/:caseId', name: 'case', component: () => import('@/views/staff/CaseView.vue'), props: true, meta: { access: 'staffOrInspector', title: 'caseView.title' } },
    { path: '/inspect', name: 'inspect', component: () => import('@/views/inspector/InspectView.vue'), meta: { access: 'inspector', title: 'inspect.title' } },
    ...featureRoutes,
    { path: '/forbidden', name: 'forbidden', component: () => import('@/views/MessageView.vue'), props: { kind: 'forbidden' }, meta: { access: 'public' } },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/MessageView.vue'), props: { kind: 'notFound' }, meta: { access: 'public' } },
  ],
})

export function mayOpen(access: Access, auth: ReturnType<typeof useAuthStore>): boolean {
  switch (access) {
    case 'public':
      return true
    case 'citizen':
      return auth.isCitizen
    case 'staff':
      return auth.isStaff
    case 'window':
      return auth.isWindow
    case 'leader':
      return auth.isLeader
    case 'inspector':
      return auth.isInspector
    case 'supervisor':
      return auth.isSupervisor
    case 'cityInspector':
      return auth.isCityInspector
    case 'chiefInspector':
      return auth.isChiefInspector
    case 'admin':
      return auth.isAdmin
    case 'staffOrInspector':
      return auth.isStaff || auth.isInspector
    case 'inboxReader':
      return auth.isStaff || auth.isInspector || auth.isAdmin // administrators: their notices (日历未确认)
    case 'governmentLeader':
      return auth.isGovernmentLeader
  }
}

export function guard(to: RouteLocationNormalized) {
  const auth = useAuthStore()
  const access = to.meta.access ?? 'public'
  if (access === 'public') return true
  if (!auth.signedIn) return { name: 'login', query: { redirect: to.fullPath } }
  return mayOpen(access, auth) ? true : { name: 'forbidden' }
}

router.beforeEach(guard)
