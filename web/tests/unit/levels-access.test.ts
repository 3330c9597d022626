import { describe, expect, it } from 'vitest'

import { sessionFrom } from '@/auth/session'
import { isBelowCity } from '@/lib/levels'

import { fakeJwt } from './helpers'

describe('levels and access', () => {
  it('tells a district, township or village 监察局 from the city’s by its code', () => {
    expect(isBelowCity('420700')).toBe(false) // 鄂州市
    expect(isBelowCity('420704')).toBe(true) // 鄂城区
    expect(isBelowCity('420704001')).toBe(true) // 凤凰街道
    expect(isBelowCity('420704001001')).toBe(true) // 滨湖社区
    expect(isBelowCity(undefined)).toBe(false)
  })

  it('reads the inspector’s government from the ID token', () => {
    const idToken = fakeJwt({ sub: 'u-9', exp: 0, 'cognito:username': 'echeng.inspector', 'cognito:groups': ['inspector'], 'custom:government': '420704' })
    const session = sessionFrom({ idToken, accessToken: 'a', expiresIn: 3600 }, 'r', 0)
    expect(session.user.government).toBe('420704')
    expect(session.user.department).toBeNull()
  })
})
