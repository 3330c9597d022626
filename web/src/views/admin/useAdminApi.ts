import { adminEndpoints } from '@/api/admin'
import { useServices } from '@/services'

/** The administration endpoints on the app's API client. */
export function useAdminApi() {
  return adminEndpoints(useServices().client)
}
