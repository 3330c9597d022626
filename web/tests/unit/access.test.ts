import { describe, expect, it, vi } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'

// The router module builds a browser history on import; the tests run in node.
vi.mock('vue-router', async (original) => {
  const actual = await original<typeof import('vue-router')>()
  return { ...actual, createWebHistory: () => actual.createMemoryHistory() }
})

const { mayOpen, router } = await import('@/router')

type Auth = Parameters<typeof mayOpen>[1]

function who(flags: Partial<Record<'isCitizen' | 'isStaff' | 'isWindow' | 'isLeader' | 'isInspector' | 'isSupervisor' | 'isCityInspector' | 'isChiefInspector' | 'isAdmin', boolean>>): Auth {
  return { isCitizen: false, isStaff: false, isWindow: false, isLeader: false, isInspector: false, isSupervisor: false,
    isCityInspector: false, isChiefInspector: false, isAdmin: false, ...flags } as unknown as Auth
}

const admin = who({ isAdmin: true, isInspector: true }) // the store counts the admin among "inspector" pages (overview, rankings)
const departmentInspector = who({ isInspector: true, isSupervisor: true })
const cityInspector = who({ isInspector: true, isSupervisor: true, isCityInspector: true })
const chief = who({ isInspector: true, isSupervisor: true, isCityInspector: true, isChiefInspector: true })

function opens(name: string, auth: Auth): boolean {
  const record = router.getRoutes().find((r: RouteRecordRaw) => r.name === name)
  if (!record) throw new Error(`no route ${name}`)
  return mayOpen(record.meta.access, auth)
}

describe('pages follow the API access policy (functions/http_api/access.py)', () => {
  it('shows the inspector log to city inspectors only, the flags to the chief only', () => {
    expect([admin, departmentInspector, cityInspector, chief].map((a) => opens('inspector-log', a))).toEqual([false, false, true, true])
    expect([admin, departmentInspector, cityInspector, chief].map((a) => opens('inspector-flags', a))).toEqual([false, false, false, true])
  })

  it('keeps the admin out of supervision orders, the complaint queue and surveys', () => {
    for (const name of ['orders', 'complaints', 'survey-admin']) expect(opens(name, admin)).toBe(false)
    expect(opens('orders', departmentInspector)).toBe(true)
    expect(opens('survey-admin', cityInspector)).toBe(true)
  })
})
