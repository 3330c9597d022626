// Cognito's public (unsigned) user-pool API called directly with fetch (no SDK): InitiateAuth
// with USER_PASSWORD_AUTH to sign in and REFRESH_TOKEN_AUTH to renew the ID token;
// RespondToAuthChallenge for the new password an account created by an administrator must set
// at first sign-in; SignUp, ConfirmSignUp and ResendConfirmationCode for citizens registering
// themselves; ForgotPassword and ConfirmForgotPassword to reset a forgotten password by e-mail.
// The endpoint is `cognitoEndpoint` from config.json (moto locally) or
// https://cognito-idp.{region}.amazonaws.com/.

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
  /** Throws NewPasswordRequired when the account must choose its own password first. */
  passwordAuth(username: string, password: string): Promise<TokenSet>
  completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<TokenSet>
  refresh(refreshToken: string): Promise<TokenSet>
}

export interface Registration {
  username: string
  password: string
  name: string
  email: string
  /** Mainland mobile number, 11 digits; sent to Cognito as +86… */
  phone?: string
}

/** Self-service account operations that sign nobody in (registration, password reset). */
export interface AccountBackend {
  /** Returns where the confirmation code was sent (a masked e-mail address). */
  signUp(registration: Registration): Promise<CodeDelivery>
  confirmSignUp(username: string, code: string, name?: string): Promise<void>
  resendCode(username: string): Promise<CodeDelivery>
  forgotPassword(username: string): Promise<CodeDelivery>
  confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void>
}

export interface CodeDelivery {
  destination: string
}

export interface NewPasswordChallenge {
  username: string
  session: string
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

/** The account was created with a temporary password: its owner must choose a new one now. */
export class NewPasswordRequired extends AuthError {
  constructor(readonly challenge: NewPasswordChallenge) {
    super('new_password_required', '首次登录（或密码被管理员重置后）需要设置新密码。')
    this.name = 'NewPasswordRequired'
  }
}

// The pool's policy (infra/constructs/identity.py) in words; web/src/lib/password.ts checks it.
export const PASSWORD_RULE = '密码至少12位，须同时包含大写字母、小写字母、数字和符号。'

const SIGN_IN_MESSAGES: Record<string, string> = {
  NotAuthorizedException: '用户名或密码错误。',
  UserNotFoundException: '用户名或密码错误。',
  PasswordResetRequiredException: '该账号需要重置密码，请联系系统管理员。',
  UserNotConfirmedException: '该账号尚未激活，请联系系统管理员。',
  TooManyRequestsException: '登录尝试过于频繁，请稍后再试。',
  LimitExceededException: '登录尝试过于频繁，请稍后再试。',
  InvalidParameterException: '请填写用户名和密码。',
  network: '无法连接登录服务，请检查网络后重试。',
  challenge: '该账号需要完成额外的登录验证，请联系系统管理员。',
}
const NEW_PASSWORD_MESSAGES: Record<string, string> = {
  InvalidPasswordException: '新密码不符合要求：' + PASSWORD_RULE,
  NotAuthorizedException: '设置新密码的时间已过，请重新输入临时密码登录。',
  CodeMismatchException: '设置新密码的时间已过，请重新输入临时密码登录。',
  ExpiredCodeException: '设置新密码的时间已过，请重新输入临时密码登录。',
  InvalidParameterException: '请填写新密码。',
  TooManyRequestsException: '操作过于频繁，请稍后再试。',
  network: '无法连接登录服务，请检查网络后重试。',
}
const ACCOUNT_MESSAGES: Record<string, string> = {
  UsernameExistsException: '该用户名已被注册，请换一个用户名；如果是您本人注册的，请直接登录或找回密码。',
  InvalidPasswordException: '密码不符合要求：' + PASSWORD_RULE,
  InvalidParameterException: '填写的信息格式不正确，请检查用户名、邮箱和手机号。',
  CodeMismatchException: '验证码不正确，请核对邮件中的6位验证码。',
  ExpiredCodeException: '验证码已失效，请重新获取验证码。',
  CodeDeliveryFailureException: '验证码发送失败，请确认邮箱地址正确后重试。',
  UserNotFoundException: '未找到该用户，请核对用户名。',
  NotAuthorizedException: '该账号已完成验证，请直接登录。',
  UnexpectedLambdaException: '账号已验证，但开通申请人权限时出错，请稍后登录；如仍无法申请请联系我们。',
  LimitExceededException: '操作过于频繁，请稍后再试。',
  TooManyRequestsException: '操作过于频繁，请稍后再试。',
  TooManyFailedAttemptsException: '验证码错误次数过多，请稍后再试。',
  network: '无法连接账号服务，请检查网络后重试。',
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

export class CognitoAuth implements AuthBackend, AccountBackend {
  constructor(
    private readonly endpoint: string,
    private readonly clientId: string,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {}

  async passwordAuth(username: string, password: string): Promise<TokenSet> {
    return this.initiateAuth(
      'USER_PASSWORD_AUTH',
      { USERNAME: normalized(username), PASSWORD: password },
      SIGN_IN_MESSAGES,
    )
  }

  async completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<TokenSet> {
    const body = await this.call(
      'RespondToAuthChallenge',
      {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        ClientId: this.clientId,
        Session: challenge.session,
        ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: newPassword },
      },
      NEW_PASSWORD_MESSAGES,
    )
    return this.tokens(body)
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return this.initiateAuth('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken }, REFRESH_MESSAGES)
  }

  async signUp(registration: Registration): Promise<CodeDelivery> {
    // `name` is not writable by this client (it is the name written into timelines): the chosen
    // name goes with ConfirmSignUp, and the post-confirmation trigger sets it once.
    const attributes = [{ Name: 'email', Value: registration.email.trim() }]
    if (registration.phone?.trim()) attributes.push({ Name: 'phone_number', Value: '+86' + registration.phone.trim() })
    const body = await this.call(
      'SignUp',
      { ClientId: this.clientId, Username: normalized(registration.username), Password: registration.password, UserAttributes: attributes },
      ACCOUNT_MESSAGES,
    )
    return delivery(body, registration.email)
  }

  async confirmSignUp(username: string, code: string, name?: string): Promise<void> {
    const request: Record<string, unknown> = { ClientId: this.clientId, Username: normalized(username), ConfirmationCode: code.trim() }
    if (name?.trim()) request.ClientMetadata = { display_name: name.trim() }
    await this.call('ConfirmSignUp', request, ACCOUNT_MESSAGES)
  }

  async resendCode(username: string): Promise<CodeDelivery> {
    return delivery(await this.call('ResendConfirmationCode', { ClientId: this.clientId, Username: normalized(username) }, ACCOUNT_MESSAGES))
  }

  async forgotPassword(username: string): Promise<CodeDelivery> {
    const messages = { ...ACCOUNT_MESSAGES, InvalidParameterException: '该账号没有已验证的邮箱，无法自助找回密码，请联系系统管理员重置密码。' }
    return delivery(await this.call('ForgotPassword', { ClientId: this.clientId, Username: normalized(username) }, messages))
  }

  async confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void> {
    await this.call(
      'ConfirmForgotPassword',
      { ClientId: this.clientId, Username: normalized(username), ConfirmationCode: code.trim(), Password: newPassword },
      ACCOUNT_MESSAGES,
    )
  }

  private async initiateAuth(
    flow: string,
    parameters: Record<string, string>,
    messages: Record<string, string>,
  ): Promise<TokenSet> {
    const body = await this.call('InitiateAuth', { AuthFlow: flow, ClientId: this.clientId, AuthParameters: parameters }, messages)
    if (body.ChallengeName === 'NEW_PASSWORD_REQUIRED' && typeof body.Session === 'string') {
      // The pool's own spelling of the username (sign-in is case-insensitive), for the answer.
      const named = body.ChallengeParameters as Record<string, string> | undefined
      throw new NewPasswordRequired({ username: named?.USER_ID_FOR_SRP || named?.USERNAME || parameters.USERNAME, session: body.Session })
    }
    return this.tokens(body)
  }

  /** One call of the user-pool API; a refusal becomes an AuthError with the message for its type. */
  private async call(target: string, payload: Record<string, unknown>, messages: Record<string, string>): Promise<Record<string, unknown>> {
    let response: Response
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': TARGET_PREFIX + target,
        },
        body: JSON.stringify(payload),
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
    return body
  }

  private tokens(body: Record<string, unknown>): TokenSet {
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

function delivery(body: Record<string, unknown>, fallback = ''): CodeDelivery {
  const details = body.CodeDeliveryDetails as { Destination?: string } | undefined
  return { destination: details?.Destination || fallback }
}

/** Usernames are lower case everywhere (administrators create them so, citizens register so):
 * the deployed pool matches them case-insensitively, and this keeps moto (case-sensitive) alike. */
function normalized(username: string): string {
  return username.trim().toLowerCase()
}
