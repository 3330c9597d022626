// Reads (does not verify) the claims of a Cognito ID token: the API Gateway authorizer verifies it.

export interface IdClaims {
  sub: string
  exp: number
  'cognito:username'?: string
  'cognito:groups'?: string[] | string
  name?: string
  'custom:department'?: string
  'custom:government'?: string
  [claim: string]: unknown
}

function base64UrlToBytes(segment: string): Uint8Array {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=')
  const binary = atob(base64)
  return Uint8Array.from(binary, (char) => char.charCodeAt(0))
}

export function decodeJwt(token: string): IdClaims {
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error('not a JWT')
  // Names are Chinese: decode the payload as UTF-8, not Latin-1.
  return JSON.parse(new TextDecoder().decode(base64UrlToBytes(parts[1]))) as IdClaims
}

export function groupsOf(claims: IdClaims): string[] {
  const raw = claims['cognito:groups']
  if (Array.isArray(raw)) return raw.map(String)
  return String(raw ?? '')
    .replace(/[[\]]/g, '')
    .split(/[ ,]+/)
    .filter(Boolean)
}
