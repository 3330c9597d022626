// Who is signed in, and what they may see. Roles come from the ID token's cognito:groups.

import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'

import type { Me, Role } from '@/api/types'
import type { NewPasswordChallenge } from '@/auth/cognito'
import type { Session, SessionEnd } from '@/auth/session'
import { bureauOf } from '@/lib/levels'
import { services } from '@/services'

import { useReferenceStore } from './reference'

export const useAuthStore = defineStore('auth', () => {
  const { tokens, api } = services()
  const reference = useReferenceStore() // which roles are a department's, in the server's order
  const session = shallowRef<Session | null>(tokens.session)
  const me = ref<Me | null>(null)
  /** Set when the session ended by itself (refresh refused); the layout asks to sign in again. */
  const ended = ref<SessionEnd | null>(null)

  tokens.subscribe((current, end) => {
    session.value = current
    if (!current) me.value = null
    if (end === 'expired') ended.value = end
  })

  const user = computed(() => session.value?.user ?? null)
  const roles = computed(() => new Set((user.value?.groups ?? []) as Role[]))
  const signedIn = computed(() => user.value !== null)
  const isCitizen = computed(() => roles.value.has('citizen'))
  const staffRoles = computed(() => reference.staffRoles.filter((role) => roles.value.has(role)))
  const isStaff = computed(() => staffRoles.value.length > 0 && !!user.value?.department)
  const isInspector = computed(() => roles.value.has('inspector') || roles.value.has('admin'))
  /** Which 监察局 the caller is, as GET /me says (the token's claims until it answers): lib/levels.ts. */
  const bureau = computed(() => bureauOf(me.value, user.value))
  /** A district's or township's 监察局 (inspector without a department, custom:government below the city). */
  const isLevelInspector = computed(() => bureau.value === 'level')
  /** A city-level inspector (市监察局): an inspector without a department, of the city. Department inspectors are the 监察室. */
  const isCityInspector = computed(() => bureau.value === 'city')
  /** The chief inspector (市监察局局长): a city inspector who is also a leader; the inspectors' flags are theirs alone. */
  const isChiefInspector = computed(() => isCityInspector.value && roles.value.has('leader'))
  /** An inspector proper (监察局 or a 监察室), not the admin: supervision pages the admin may not read. */
  const isSupervisor = computed(() => roles.value.has('inspector'))
  const isLeader = computed(() => roles.value.has('leader') && !!user.value?.department)
  const isWindow = computed(() => roles.value.has('window') && !!user.value?.department)
  const isAdmin = computed(() => roles.value.has('admin'))
  /** 市政府分管领导 (no department): approves the joint cases' extensions (行政许可法 第四十二条). */
  const isGovernmentLeader = computed(() => roles.value.has('government_leader') && !user.value?.department)
  const primaryRole = computed<Role | null>(() => reference.roles.find((role) => roles.value.has(role)) ?? null)

  async function login(username: string, password: string): Promise<void> {
    ended.value = null
    await tokens.login(username, password)
    void loadMe()
  }

  /** The second step of a first sign-in: the user's own password replaces the temporary one. */
  async function completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<void> {
    ended.value = null
    await tokens.completeNewPassword(challenge, newPassword)
    void loadMe()
  }

  /** Revokes the account's sessions on the server first (best effort: the local session ends
   * anyway, offline too), so a copied token stops working within a minute. */
  async function logout(): Promise<void> {
    ended.value = null
    if (signedIn.value) await api.signOut().catch(() => undefined)
    tokens.logout()
  }

  async function loadMe(): Promise<void> {
    if (!signedIn.value) return
    try {
      me.value = await api.me()
    } catch {
      me.value = null // the header falls back to the token's claims
    }
  }

  /** Where a user lands after signing in. */
  function homeRoute(): string {
    if (isStaff.value) return '/worklist'
    if (isInspector.value) return '/overview' // 监察总览: the inspector's live city view
    if (isCitizen.value) return '/my/cases'
    if (isGovernmentLeader.value) return '/government/extensions'
    return '/catalog'
  }

  return { session, me, ended, user, roles, signedIn, isCitizen, staffRoles, isStaff, isInspector, bureau, isCityInspector, isLevelInspector, isChiefInspector, isSupervisor, isLeader, isWindow, isAdmin, isGovernmentLeader, primaryRole, login, completeNewPassword, logout, loadMe, homeRoute }
})
