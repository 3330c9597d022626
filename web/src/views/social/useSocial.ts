import { socialApi } from '@/api/social'
import { useServices } from '@/services'

/** The social-interaction API on the app's client. */
export function useSocial() {
  return socialApi(useServices().client)
}
