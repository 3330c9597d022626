// 账号: citizens register themselves and anyone with a verified e-mail resets a forgotten password.
import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/register', name: 'register', component: () => import('@/views/accounts/RegisterView.vue'), meta: { access: 'public', title: 'register.title' } },
  { path: '/forgot-password', name: 'forgot-password', component: () => import('@/views/accounts/ForgotPasswordView.vue'), meta: { access: 'public', title: 'forgot.title' } },
]
