// Runtime configuration from /config.json (the CDK deployment writes it next to the app; the local
// runner serves it): nothing environment-specific is built into the bundle.

export interface RuntimeConfig {
  apiUrl: string
  userPoolId: string
  userPoolClientId: string
  region: string
  /** Set locally (moto); deployed, the regional Cognito endpoint is used. */
  cognitoEndpoint?: string
}

export class ConfigError extends Error {}

export function parseConfig(raw: unknown): RuntimeConfig {
  const value = (raw ?? {}) as Record<string, unknown>
  const missing = ['apiUrl', 'userPoolClientId', 'region'].filter((key) => typeof value[key] !== 'string' || !value[key])
  if (missing.length) throw new ConfigError(`运行配置 config.json 缺少：${missing.join('、')}`)
  return {
    apiUrl: String(value.apiUrl),
    userPoolId: String(value.userPoolId ?? ''),
    userPoolClientId: String(value.userPoolClientId),
    region: String(value.region),
    cognitoEndpoint: typeof value.cognitoEndpoint === 'string' && value.cognitoEndpoint ? value.cognitoEndpoint : undefined,
  }
}

export async function loadConfig(url = '/config.json'): Promise<RuntimeConfig> {
  let response: Response
  try {
    response = await fetch(url, { cache: 'no-store' })
  } catch {
    throw new ConfigError('无法加载运行配置，请检查网络后刷新页面。')
  }
  if (!response.ok) throw new ConfigError(`无法加载运行配置（HTTP ${response.status}），请稍后刷新页面。`)
  return parseConfig(await response.json().catch(() => null))
}
