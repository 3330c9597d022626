// The exchange's daily reconciliation (数据交换对账): GET /monitoring/exchange, city inspectors only;
// with view=quarantine, the inbound messages refused as malformed (待核查接入消息).

import type { ApiClient } from './client'
import type { components } from './schema'
import type { Page } from './types'

export type ExchangeReconciliation = components['schemas']['ExchangeReconciliation']
export type ExchangeDayFigures = components['schemas']['ExchangeDayFigures']
export type QuarantinedMessage = components['schemas']['QuarantinedMessageView']

export function exchangeApi(client: ApiClient) {
  return {
    reconciliation: (days = 31) => client.get<ExchangeReconciliation>('monitoring/exchange', { query: { days } }),
    quarantine: (query: { cursor?: string | null; limit?: number }) =>
      client.get<Page<QuarantinedMessage>>('monitoring/exchange', { query: { view: 'quarantine', ...query } }),
  }
}
