import { createI18n } from 'vue-i18n'

import { featureMessages, mergeMessages } from './features'
import zhCN from './zh-CN'

export type Messages = typeof zhCN

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': mergeMessages(zhCN, featureMessages) as typeof zhCN },
  missingWarn: false,
  fallbackWarn: false,
})
