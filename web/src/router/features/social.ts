// 社会互动: complaints (投诉), notifications, satisfaction, online surveys (网上调查).
import type { RouteRecordRaw } from 'vue-router'

const GROUP = 'nav.groups.social'
const queue = () => import('@/views/social/ComplaintQueueView.vue')

export const routes: RouteRecordRaw[] = [
  { path: '/surveys', name: 'surveys', component: () => import('@/views/social/SurveysView.vue'), meta: { access: 'public', title: 'social.surveys.title', nav: { label: 'social.nav.surveys', order: 72, test: 'nav-surveys', group: GROUP } } },
  { path: '/surveys/:surveyId', name: 'survey', component: () => import('@/views/social/SurveyAnswerView.vue'), props: true, meta: { access: 'public', title: 'social.surveys.title' } },
  { path: '/my/complaints', name: 'my-complaints', component: () => import('@/views/social/MyComplaintsView.vue'), meta: { access: 'citizen', title: 'social.myComplaints.title', nav: { label: 'social.nav.myComplaints', order: 70, test: 'nav-my-complaints', group: GROUP } } },
  { path: '/my/complaints/:complaintId', name: 'my-complaint', component: () => import('@/views/social/MyComplaintView.vue'), props: true, meta: { access: 'citizen', title: 'social.complaint.title' } },
  { path: '/my/notifications', name: 'notifications', component: () => import('@/views/social/NotificationsView.vue'), meta: { access: 'citizen', title: 'social.notifications.title', nav: { label: 'social.nav.notifications', order: 71, test: 'nav-notifications', group: GROUP } } },
  { path: '/complaints/new', name: 'new-complaint', component: () => import('@/views/social/ComplaintFormView.vue'), meta: { access: 'citizen', title: 'social.form.title' } },
  { path: '/complaints', name: 'complaints', component: queue, meta: { access: 'supervisor', title: 'social.queue.title', nav: { label: 'social.nav.complaints', order: 73, test: 'nav-complaints', group: GROUP } } },
  { path: '/department/complaints', name: 'department-complaints', component: queue, meta: { access: 'leader', title: 'social.queue.departmentTitle', nav: { label: 'social.nav.departmentComplaints', order: 74, test: 'nav-department-complaints', group: GROUP } } },
  { path: '/complaints/:complaintId', name: 'complaint', component: () => import('@/views/social/ComplaintView.vue'), props: true, meta: { access: 'staffOrInspector', title: 'social.complaint.title' } },
  { path: '/inspector/surveys', name: 'survey-admin', component: () => import('@/views/social/SurveyAdminView.vue'), meta: { access: 'cityInspector', title: 'social.surveyAdmin.title', nav: { label: 'social.nav.surveyAdmin', order: 75, test: 'nav-survey-admin', group: GROUP } } },
  { path: '/inspector/surveys/:surveyId', name: 'survey-results', component: () => import('@/views/social/SurveyResultsView.vue'), props: true, meta: { access: 'cityInspector', title: 'social.results.title' } },
]
