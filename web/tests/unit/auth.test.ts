import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { AuthError, CognitoAuth, NewPasswordRequired, cognitoEndpoint, type AuthBackend, type NewPasswordChallenge, type TokenSet } from '@/auth/cognito'
import { decodeJwt, groupsOf } from '@/auth/jwt'
import {
  MIN_VALIDITY_MS,
  REFRESH_LEAD_MS,
  RETRY_MS,
  STORAGE_KEY,
  TokenManager,
  needsRefresh,
  refreshDelay,
  sessionFrom,
} from '@/auth/session'

import { MemoryStorage, fakeJwt, jsonResponse, scriptedFetch } from './helpers'

const HOUR = 3600

function idToken(n: number, claims: Record<string, unknown> = {}): string {
  return fakeJwt({
    sub: 'u-1',
    'cognito:username': 'market.window',
    name: '张敏',
    'cognito:groups': ['window'],
    'custom:department': 'market',
    exp: 0,
    n,
    ...claims,
  })
}

class FakeBackend implements AuthBackend {
  logins = 0
  refreshes: string[] = []
  refreshAnswers: (TokenSet | Error)[] = []
  private pending: ((value: void) => void)[] = []
  hold = false

  async passwordAuth(): Promise<TokenSet> {
    this.logins++
    return { idToken: idToken(0), accessToken: 'a0', refreshToken: 'r0', expiresIn: HOUR }
  }

  answered: [NewPasswordChallenge, string][] = []

  async completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<TokenSet> {
    this.answered.push([challenge, newPassword])
    return { idToken: idToken(0), accessToken: 'a0', refreshToken: 'r-new', expiresIn: HOUR }
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    this.refreshes.push(refreshToken)
    if (this.hold) await new Promise<void>((resolve) => this.pending.push(resolve))
    const answer = this.refreshAnswers.shift() ?? { idToken: idToken(this.refreshes.length), accessToken: 'a', expiresIn: HOUR }
    if (answer instanceof Error) throw answer
    return answer
  }

  release(): void {
    this.hold = false
    this.pending.splice(0).forEach((resolve) => resolve())
  }
}

describe('timing rules', () => {
  it('schedules the refresh five minutes before expiry, never in the past', () => {
    expect(REFRESH_LEAD_MS).toBe(300_000)
    expect(refreshDelay(10_000_000, 1_000_000)).toBe(10_000_000 - 300_000 - 1_000_000)
    expect(refreshDelay(1_000_000, 900_000)).toBe(0)
  })

  it('refreshes before a call when less than a minute is left', () => {
    expect(needsRefresh(1_000_000, 1_000_000 - MIN_VALIDITY_MS - 1)).toBe(false)
    expect(needsRefresh(1_000_000, 1_000_000 - MIN_VALIDITY_MS)).toBe(true)
    expect(needsRefresh(1_000_000, 2_000_000)).toBe(true)
  })
})

describe('ID token claims', () => {
  it('reads Chinese names as UTF-8 and the groups in any of their forms', () => {
    const claims = decodeJwt(idToken(0))
    expect(claims.name).toBe('张敏')
    expect(groupsOf(claims)).toEqual(['window'])
    expect(groupsOf({ sub: 'x', exp: 0, 'cognito:groups': '[handler reviewer]' })).toEqual(['handler', 'reviewer'])
    expect(groupsOf({ sub: 'x', exp: 0 })).toEqual([])
  })

  it('counts validity from ExpiresIn on the browser clock', () => {
    const session = sessionFrom({ idToken: idToken(0), accessToken: 'a', expiresIn: HOUR }, 'r', 5_000)
    expect(session.expiresAt).toBe(5_000 + HOUR * 1000)
    expect(session.user).toEqual({ userId: 'u-1', username: 'market.window', name: '张敏', groups: ['window'], department: 'market' })
  })
})

describe('TokenManager', () => {
  let backend: FakeBackend
  let storage: MemoryStorage
  let manager: TokenManager

  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(1_800_000_000_000)
    backend = new FakeBackend()
    storage = new MemoryStorage()
    manager = new TokenManager(backend, storage)
  })

  afterEach(() => {
    manager.logout()
    vi.useRealTimers()
  })

  it('signs in and keeps the session in storage', async () => {
    const session = await manager.login('market.window', 'pw')
    expect(session.user.name).toBe('张敏')
    expect(JSON.parse(storage.getItem(STORAGE_KEY)!).refreshToken).toBe('r0')
    expect(await manager.idToken()).toBe(idToken(0))
    expect(backend.refreshes).toEqual([])
  })

  it('refreshes in the background five minutes before expiry, keeping the refresh token', async () => {
    await manager.login('market.window', 'pw')
    await vi.advanceTimersByTimeAsync(HOUR * 1000 - REFRESH_LEAD_MS - 1)
    expect(backend.refreshes).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(backend.refreshes).toEqual(['r0'])
    expect(manager.session!.idToken).toBe(idToken(1))
    expect(manager.session!.refreshToken).toBe('r0')
    expect(manager.session!.expiresAt).toBe(Date.now() + HOUR * 1000)
    // …and again an hour later.
    await vi.advanceTimersByTimeAsync(HOUR * 1000 - REFRESH_LEAD_MS)
    expect(backend.refreshes).toHaveLength(2)
  })

  it('refreshes before a call when the token is about to expire, once for concurrent calls', async () => {
    await manager.login('market.window', 'pw')
    vi.setSystemTime(Date.now() + HOUR * 1000 - 30_000) // the timer did not run (e.g. a sleeping laptop)
    backend.hold = true
    const calls = [manager.idToken(), manager.idToken(), manager.refreshAfterRejection()]
    backend.release()
    expect(await Promise.all(calls)).toEqual([idToken(1), idToken(1), idToken(1)])
    expect(backend.refreshes).toHaveLength(1)
  })

  it('calls rejected with the same token refresh once, even when the first refresh has finished', async () => {
    await manager.login('market.window', 'pw')
    const rejected = (await manager.idToken())!
    const first = await manager.refreshAfterRejection(rejected)
    const second = await manager.refreshAfterRejection(rejected) // a parallel call whose 401 came later
    expect(second).toBe(first)
    expect(first).not.toBe(rejected)
    expect(backend.refreshes).toHaveLength(1)
  })

  it('ends the session when Cognito refuses the refresh token', async () => {
    const listener = vi.fn()
    await manager.login('market.window', 'pw')
    manager.subscribe(listener)
    backend.refreshAnswers.push(new AuthError('NotAuthorizedException', '登录已过期，请重新登录。'))
    expect(await manager.refreshAfterRejection()).toBeNull()
    expect(manager.session).toBeNull()
    expect(storage.getItem(STORAGE_KEY)).toBeNull()
    expect(listener).toHaveBeenLastCalledWith(null, 'expired')
  })

  it('keeps the session after a network failure and tries again later', async () => {
    await manager.login('market.window', 'pw')
    backend.refreshAnswers.push(new AuthError('network', '无法连接登录服务'))
    await vi.advanceTimersByTimeAsync(HOUR * 1000 - REFRESH_LEAD_MS)
    expect(backend.refreshes).toHaveLength(1)
    expect(manager.session!.idToken).toBe(idToken(0))
    await vi.advanceTimersByTimeAsync(RETRY_MS)
    expect(backend.refreshes).toHaveLength(2)
    expect(manager.session!.idToken).toBe(idToken(2))
  })

  it('restores the tab session after a reload and refreshes a stale one at once', async () => {
    await manager.login('market.window', 'pw')
    manager['clearTimer']()
    vi.setSystemTime(Date.now() + 2 * HOUR * 1000)
    const reloaded = new TokenManager(backend, storage)
    expect(reloaded.restore()!.user.username).toBe('market.window')
    await vi.advanceTimersByTimeAsync(0)
    expect(backend.refreshes).toEqual(['r0'])
    expect(reloaded.session!.idToken).toBe(idToken(1))
    reloaded.logout()
  })

  it('drops an unreadable saved session', () => {
    storage.setItem(STORAGE_KEY, '{not json')
    expect(manager.restore()).toBeNull()
    expect(storage.getItem(STORAGE_KEY)).toBeNull()
  })

  it('signs out: no token, no timer, storage cleared', async () => {
    const listener = vi.fn()
    manager.subscribe(listener)
    await manager.login('market.window', 'pw')
    manager.logout()
    expect(await manager.idToken()).toBeNull()
    expect(storage.getItem(STORAGE_KEY)).toBeNull()
    expect(listener).toHaveBeenLastCalledWith(null, 'signed_out')
    await vi.advanceTimersByTimeAsync(2 * HOUR * 1000)
    expect(backend.refreshes).toEqual([])
  })

  it('signs in with the new password of a first sign-in', async () => {
    const session = await manager.completeNewPassword({ username: 'market.window', session: 's' }, 'Mine#Passw0rd-1')
    expect(backend.answered).toEqual([[{ username: 'market.window', session: 's' }, 'Mine#Passw0rd-1']])
    expect(session.refreshToken).toBe('r-new')
    expect(JSON.parse(storage.getItem(STORAGE_KEY)!).refreshToken).toBe('r-new')
  })

  it('ignores a refresh that finishes after signing out', async () => {
    await manager.login('market.window', 'pw')
    backend.hold = true
    const refreshing = manager.refresh()
    manager.logout()
    backend.release()
    expect(await refreshing).toBeNull()
    expect(manager.session).toBeNull()
  })
})

describe('CognitoAuth', () => {
  it('calls InitiateAuth with USER_PASSWORD_AUTH', async () => {
    const { fetchImpl, calls } = scriptedFetch(
      jsonResponse(200, { AuthenticationResult: { IdToken: 'i', AccessToken: 'a', RefreshToken: 'r', ExpiresIn: 3600 } }),
    )
    const tokens = await new CognitoAuth('http://127.0.0.1:4666/', 'client-1', fetchImpl).passwordAuth(' citizen1 ', 'Sunlight#2026')
    expect(tokens).toEqual({ idToken: 'i', accessToken: 'a', refreshToken: 'r', expiresIn: 3600 })
    expect(calls[0].url).toBe('http://127.0.0.1:4666/')
    expect(calls[0].headers).toEqual({
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    })
    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'client-1',
      AuthParameters: { USERNAME: 'citizen1', PASSWORD: 'Sunlight#2026' },
    })
  })

  it('refreshes with REFRESH_TOKEN_AUTH', async () => {
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(200, { AuthenticationResult: { IdToken: 'i2', AccessToken: 'a2', ExpiresIn: 3600 } }))
    const tokens = await new CognitoAuth('https://x/', 'c', fetchImpl).refresh('r0')
    expect(tokens.refreshToken).toBeUndefined()
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'c', AuthParameters: { REFRESH_TOKEN: 'r0' } })
  })

  it('says in Chinese why signing in failed', async () => {
    const { fetchImpl } = scriptedFetch(
      jsonResponse(400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }),
      jsonResponse(400, { __type: 'com.amazonaws.cognito#TooManyRequestsException', message: 'Rate exceeded' }),
      new TypeError('Failed to fetch'),
      jsonResponse(200, { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's' }),
    )
    const auth = new CognitoAuth('https://x/', 'c', fetchImpl)
    const failures = []
    for (let i = 0; i < 4; i++) failures.push(await auth.passwordAuth('u', 'p').catch((e: AuthError) => [e.type, e.message, e.rejected]))
    expect(failures).toEqual([
      ['NotAuthorizedException', '用户名或密码错误。', true],
      ['TooManyRequestsException', '登录尝试过于频繁，请稍后再试。', false],
      ['network', '无法连接登录服务，请检查网络后重试。', false],
      ['challenge', '该账号需要完成额外的登录验证，请联系系统管理员。', true],
    ])
  })

  it('asks for a new password on a first sign-in and answers the challenge with it', async () => {
    const { fetchImpl, calls } = scriptedFetch(
      jsonResponse(200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'sess-1', ChallengeParameters: { USER_ID_FOR_SRP: 'market.clerk' } }),
      jsonResponse(200, { AuthenticationResult: { IdToken: 'i', AccessToken: 'a', RefreshToken: 'r', ExpiresIn: 3600 } }),
      jsonResponse(400, { __type: 'InvalidPasswordException', message: 'Password does not conform to policy' }),
    )
    const auth = new CognitoAuth('https://x/', 'c', fetchImpl)
    const challenge = await auth.passwordAuth('Market.Clerk', 'Temp#Passw0rd-2026').catch((e) => e)
    expect(challenge).toBeInstanceOf(NewPasswordRequired)
    expect(challenge.challenge).toEqual({ username: 'market.clerk', session: 'sess-1' })
    expect(await auth.completeNewPassword(challenge.challenge, 'Mine#Passw0rd-1')).toEqual({ idToken: 'i', accessToken: 'a', refreshToken: 'r', expiresIn: 3600 })
    expect(calls[1].headers['X-Amz-Target']).toBe('AWSCognitoIdentityProviderService.RespondToAuthChallenge')
    expect(JSON.parse(String(calls[1].init.body))).toEqual({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: 'c',
      Session: 'sess-1',
      ChallengeResponses: { USERNAME: 'market.clerk', NEW_PASSWORD: 'Mine#Passw0rd-1' },
    })
    const refused = await auth.completeNewPassword(challenge.challenge, 'short').catch((e: AuthError) => e.message)
    expect(refused).toBe('新密码不符合要求：密码至少12位，须同时包含大写字母、小写字母、数字和符号。')
  })

  it('registers a citizen: SignUp with e-mail and +86 mobile (never name), then ConfirmSignUp with the code and the chosen name', async () => {
    const { fetchImpl, calls } = scriptedFetch(
      jsonResponse(200, { UserConfirmed: false, UserSub: 'sub-9', CodeDeliveryDetails: { Destination: 'z***@e***', DeliveryMedium: 'EMAIL' } }),
      jsonResponse(200, {}),
      jsonResponse(400, { __type: 'CodeMismatchException', message: 'Invalid verification code provided' }),
      jsonResponse(400, { __type: 'UsernameExistsException', message: 'User already exists' }),
    )
    const auth = new CognitoAuth('https://x/', 'c', fetchImpl)
    const delivery = await auth.signUp({ username: ' zhangsan ', password: 'Mine#Passw0rd-1', name: ' 张三 ', email: 'zs@example.com', phone: '13800138000' })
    expect(delivery).toEqual({ destination: 'z***@e***' })
    expect(calls[0].headers['X-Amz-Target']).toBe('AWSCognitoIdentityProviderService.SignUp')
    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      ClientId: 'c',
      Username: 'zhangsan',
      Password: 'Mine#Passw0rd-1',
      UserAttributes: [
        { Name: 'email', Value: 'zs@example.com' },
        { Name: 'phone_number', Value: '+8613800138000' },
      ],
    })
    await auth.confirmSignUp('zhangsan', ' 123456 ', ' 张三 ')
    expect(JSON.parse(String(calls[1].init.body))).toEqual({
      ClientId: 'c', Username: 'zhangsan', ConfirmationCode: '123456', ClientMetadata: { display_name: '张三' },
    })
    expect(await auth.confirmSignUp('zhangsan', '000000').catch((e: AuthError) => e.message)).toBe('验证码不正确，请核对邮件中的6位验证码。')
    expect(await auth.signUp({ username: 'zhangsan', password: 'p', name: 'n', email: 'e@x.cn' }).catch((e: AuthError) => e.type)).toBe('UsernameExistsException')
  })

  it('resets a forgotten password by e-mail, and says when an account has no e-mail', async () => {
    const { fetchImpl, calls } = scriptedFetch(
      jsonResponse(200, { CodeDeliveryDetails: { Destination: 'z***@e***' } }),
      jsonResponse(200, {}),
      jsonResponse(400, { __type: 'InvalidParameterException', message: 'no registered/verified email' }),
    )
    const auth = new CognitoAuth('https://x/', 'c', fetchImpl)
    expect(await auth.forgotPassword('zhangsan')).toEqual({ destination: 'z***@e***' })
    await auth.confirmForgotPassword('zhangsan', '654321', 'New#Passw0rd-22')
    expect(calls.map((call) => call.headers['X-Amz-Target'].split('.')[1])).toEqual(['ForgotPassword', 'ConfirmForgotPassword'])
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ ClientId: 'c', Username: 'zhangsan', ConfirmationCode: '654321', Password: 'New#Passw0rd-22' })
    expect(await auth.forgotPassword('market.window').catch((e: AuthError) => e.message)).toContain('联系系统管理员重置密码')
  })

  it('uses the configured endpoint, else the regional one', () => {
    expect(cognitoEndpoint({ cognitoEndpoint: 'http://127.0.0.1:4666', region: 'us-east-1' })).toBe('http://127.0.0.1:4666/')
    expect(cognitoEndpoint({ region: 'ap-east-1' })).toBe('https://cognito-idp.ap-east-1.amazonaws.com/')
    expect(cognitoEndpoint({ region: 'cn-north-1' })).toBe('https://cognito-idp.cn-north-1.amazonaws.com.cn/')
  })
})
