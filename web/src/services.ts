// The app's services, made once from the runtime config and provided to every component.

import type { InjectionKey } from 'vue'
import { inject } from 'vue'

import { ApiClient } from './api/client'
import { endpoints, type Endpoints } from './api/endpoints'
import { CognitoAuth, cognitoEndpoint, type AccountBackend } from './auth/cognito'
import { TokenManager, type StorageLike } from './auth/session'
import type { RuntimeConfig } from './config'

export interface Services {
  config: RuntimeConfig
  tokens: TokenManager
  /** Registration and password reset (Cognito's self-service operations). */
  accounts: AccountBackend
  client: ApiClient
  api: Endpoints
}

export const SERVICES: InjectionKey<Services> = Symbol('services')

export function createServices(config: RuntimeConfig, storage: StorageLike = window.sessionStorage): Services {
  const cognito = new CognitoAuth(cognitoEndpoint(config), config.userPoolClientId)
  const tokens = new TokenManager(cognito, storage)
  const client = new ApiClient(config.apiUrl, {
    idToken: () => tokens.idToken(),
    refreshAfterRejection: (rejected?: string) => tokens.refreshAfterRejection(rejected),
  })
  return { config, tokens, accounts: cognito, client, api: endpoints(client) }
}

let current: Services | null = null

export function setServices(services: Services): void {
  current = services
}

/** In components: inject; elsewhere (stores, router guards): the instance set at startup. */
export function useServices(): Services {
  const injected = inject(SERVICES, null)
  if (injected) return injected
  if (!current) throw new Error('services not initialised')
  return current
}

export function services(): Services {
  if (!current) throw new Error('services not initialised')
  return current
}
