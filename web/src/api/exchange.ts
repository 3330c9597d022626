// The exchange's daily reconciliation (数据交换对账): GET /monitoring/exchange, city inspectors only.

import type { ApiClient } from './client'
import type { components } from './schema'

export type ExchangeReconciliation = components['schemas']['ExchangeReconciliation']
export type ExchangeDayFigures = components['schemas']['ExchangeDayFigures']

export function exchangeApi(client: ApiClient) {
  return {
    reconciliation: (days = 31) => client.get<ExchangeReconciliation>('monitoring/exchange', { query: { days } }),
  }
}
