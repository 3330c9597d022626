import { officeEndpoints, type OfficeEndpoints } from '@/api/office'
import { useServices } from '@/services'

const made = new WeakMap<object, OfficeEndpoints>()

/** The office API calls on the app's client (made once per client). */
export function useOffice(): OfficeEndpoints {
  const { client } = useServices()
  let office = made.get(client)
  if (!office) made.set(client, (office = officeEndpoints(client)))
  return office
}
