// The 监察局 pages: which 监察局 the caller is (GET /me first), who issues 督办 to which departments,
// who is offered 下级监察机构 and 待核查接入消息, and how a refused message's raw text is shown.
import { describe, expect, it, vi } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'

import { bureauOf } from '@/lib/levels'
import { issuableDepartments, mayIssueOrders } from '@/lib/orders'
import { rawForReading } from '@/lib/quarantine'

import quarantineView from '../../src/views/exchange/QuarantineView.vue?raw'

// The router module builds a browser history on import; the tests run in node.
vi.mock('vue-router', async (original) => {
  const actual = await original<typeof import('vue-router')>()
  return { ...actual, createWebHistory: () => actual.createMemoryHistory() }
})

const { mayOpen, router } = await import('@/router')

type Auth = Parameters<typeof mayOpen>[1]

const echengToken = { groups: ['inspector'], department: null, government: '420704' }
const cityToken = { groups: ['inspector'], department: null, government: '420700' }

describe('which 监察局 the caller is', () => {
  it('takes GET /me’s answer over the token’s claims', () => {
    expect(bureauOf({ bureau: 'level' }, cityToken)).toBe('level')
    expect(bureauOf({ bureau: 'city' }, echengToken)).toBe('city')
    expect(bureauOf({ bureau: null }, cityToken)).toBeNull()
    expect(bureauOf({}, cityToken)).toBeNull() // a /me without the field names no 监察局
  })

  it('reads the token the same way until /me answers, and never guesses the city', () => {
    expect(bureauOf(null, cityToken)).toBe('city')
    expect(bureauOf(null, echengToken)).toBe('level')
    expect(bureauOf(null, { groups: ['inspector'], department: null })).toBeNull() // no government: the server refuses it everything
    expect(bureauOf(null, { groups: ['inspector'], department: 'market', government: '420700' })).toBeNull() // a 监察室
    expect(bureauOf(null, { groups: ['leader'], department: null, government: '420700' })).toBeNull()
    expect(bureauOf(null, null)).toBeNull()
  })
})

describe('issuing 督办', () => {
  const api = {
    departments: vi.fn(async () => ['all']),
    departmentsWithin: vi.fn(async (government: string) => [`within ${government}`]),
  }

  it('is the city’s 监察局’s and a lower level’s, not a 监察室’s or anyone else’s', () => {
    expect([mayIssueOrders('city'), mayIssueOrders('level'), mayIssueOrders(null)]).toEqual([true, true, false])
  })

  it('offers a district 监察局 the departments the API lists for its government and below', async () => {
    expect(await issuableDepartments('level', '420704', api)).toEqual(['within 420704'])
    expect(api.departmentsWithin).toHaveBeenCalledWith('420704')
    expect(await issuableDepartments('city', '420700', api)).toEqual(['all'])
    expect(await issuableDepartments('level', null, api)).toEqual([])
    expect(await issuableDepartments(null, '420700', api)).toEqual([])
  })
})

function who(flags: { isCityInspector?: boolean; isLevelInspector?: boolean; isAdmin?: boolean; isInspector?: boolean; isSupervisor?: boolean }): Auth {
  return { isCitizen: false, isStaff: false, isWindow: false, isLeader: false, isInspector: false, isSupervisor: false,
    isCityInspector: false, isLevelInspector: false, isChiefInspector: false, isAdmin: false, ...flags } as unknown as Auth
}

function opens(name: string, auth: Auth): boolean {
  const record = router.getRoutes().find((r: RouteRecordRaw) => r.name === name)
  if (!record) throw new Error(`no route ${name}`)
  return mayOpen(record.meta.access, auth)
}

describe('the city 监察局’s pages', () => {
  const city = who({ isInspector: true, isSupervisor: true, isCityInspector: true })
  const district = who({ isInspector: true, isSupervisor: true, isLevelInspector: true })
  const office = who({ isInspector: true, isSupervisor: true })
  const admin = who({ isInspector: true, isAdmin: true })

  it('offers 下级监察机构 and 待核查接入消息 to the city’s inspectors only', () => {
    for (const name of ['evaluation-bureaus', 'exchange-quarantine']) {
      expect([city, district, office, admin].map((auth) => opens(name, auth))).toEqual([true, false, false, false])
    }
    const quarantine = router.getRoutes().find((r) => r.name === 'exchange-quarantine')
    expect(quarantine?.meta.nav?.group).toBe('nav.groups.supervision')
  })

  it('lets a district 监察局 open the order list where it issues', () => {
    expect(opens('orders', district)).toBe(true)
  })
})

describe('a refused message’s raw text', () => {
  it('is indented when it is JSON and kept as received otherwise', () => {
    expect(rawForReading('{"a":{"b":1}}')).toBe('{\n  "a": {\n    "b": 1\n  }\n}')
    expect(rawForReading('<img src=x onerror=alert(1)>{')).toBe('<img src=x onerror=alert(1)>{')
  })

  it('is never rendered as HTML', () => {
    expect(quarantineView).not.toMatch(/v-html|innerHTML/)
    expect(quarantineView).toContain('{{ rawForReading(item.raw) }}')
  })
})
