// Cognito's InitiateAuth API called directly with fetch (no SDK): USER_PASSWORD_AUTH to sign in,
// REFRESH_TOKEN_AUTH to renew the ID token. The endpoint is `cognitoEndpoint` from config.json
// (moto locally) or https://cognito-idp.{region}.amazonaws.com/.

import type { FetchLike } from '../api/client'

export interface TokenSet {
  idToken: string
  accessToken: string
  /** Absent on a refresh: the refresh token stays the same. */
  refreshToken?: string
  /** Seconds the ID and access tokens are valid. */
  expiresIn: number
}

export interface AuthBackend {
  passwordAuth(username: string, password: string): Promise<TokenSet>
  refresh(refreshToken: string): Promise<TokenSet>
}

export class AuthError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message)
    this.name = 'AuthError'
  }

  /** Cognito refused the credentials or the refresh token: signing in again is the only way. */
  get rejected(): boolean {
    return this.type !== 'network' && this.type !== 'TooManyRequestsException' && this.type !== 'InternalErrorException'
  }
}

const SIGN_IN_MESSAGES: Record<string, string> = {
  NotAuthorizedException: '用户名或密码错误。',
  UserNotFoundException: '用户名或密码错误。',
  PasswordResetRequiredException: '该账号需要重置密码，请联系系统管理员。',
  UserNotConfirmedException: '该账号尚未激活，请联系系统管理员。',
  TooManyRequestsException: '登录尝试过于频繁，请稍后再试。',
  LimitExceededException: '登录尝试过于频繁，请稍后再试。',
  InvalidParameterException: '请填写用户名和密码。',
  network: '无法连接登录服务，请检查网络后重试。',
  challenge: '该账号首次登录需要设置新密码，请联系系统管理员。',
}
const REFRESH_MESSAGES: Record<string, string> = {
  NotAuthorizedException: '登录已过期，请重新登录。',
  network: '无法连接登录服务，请检查网络后重试。',
}
const DEFAULT_MESSAGE = '登录服务暂时不可用，请稍后重试。'

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.'

export function cognitoEndpoint(config: { cognitoEndpoint?: string; region: string }): string {
  // The China regions (cn-north-1, cn-northwest-1) are under amazonaws.com.cn.
  const domain = config.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  const endpoint = config.cognitoEndpoint || `https://cognito-idp.${config.region}.${domain}/`
  return endpoint.endsWith('/') ? endpoint : endpoint + '/'
}

interface AuthenticationResult {
  IdToken: string
  AccessToken: string
  RefreshToken?: string
  ExpiresIn: number
}

export class CognitoAuth implements AuthBackend {
  constructor(
    private readonly endpoint: string,
    private readonly clientId: string,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {}

  async passwordAuth(username: string, password: string): Promise<TokenSet> {
    return this.initiateAuth(
      'USER_PASSWORD_AUTH',
      { USERNAME: username.trim(), PASSWORD: password },
      SIGN_IN_MESSAGES,
    )
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return this.initiateAuth('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken }, REFRESH_MESSAGES)
  }

  private async initiateAuth(
    flow: string,
    parameters: Record<string, string>,
    messages: Record<string, string>,
  ): Promise<TokenSet> {
    let response: Response
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': TARGET_PREFIX + 'InitiateAuth',
        },
        body: JSON.stringify({ AuthFlow: flow, ClientId: this.clientId, AuthParameters: parameters }),
        credentials: 'omit',
      })
    } catch {
      throw new AuthError('network', messages.network)
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
    if (!response.ok) {
      // "__type" is "NotAuthorizedException" or "com.amazonaws…#NotAuthorizedException".
      const type = String(body.__type ?? response.headers.get('x-amzn-ErrorType') ?? 'Unknown')
        .split('#')
        .pop()!
        .split(':')[0]
      throw new AuthError(type, messages[type] ?? DEFAULT_MESSAGE)
    }
    if (body.ChallengeName) throw new AuthError('challenge', SIGN_IN_MESSAGES.challenge)
    const result = body.AuthenticationResult as AuthenticationResult | undefined
    if (!result?.IdToken) throw new AuthError('invalid_response', DEFAULT_MESSAGE)
    return {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken: result.RefreshToken,
      expiresIn: Number(result.ExpiresIn) || 3600,
    }
  }
}
