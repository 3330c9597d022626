// 数据交换对账 (the outbound exchange's daily reconciliation).
export default {
  exchange: {
    nav: '数据交换对账',
    title: '数据交换对账',
    intro: '向上级电子监察平台实时报送的收件、办理环节、办结、预警纠错、督查督办、投诉、绩效评估和监察日志锚定，按日期（北京时间）和消息类型对账；每日凌晨自动对账。',
    lastDays: '最近 {n} 天',
    refresh: '刷新',
    enabled: '数据交换已启用，接收方：{host}。',
    disabled: '本部署未启用数据交换。',
    reconciledAt: '最近对账时间：{time}。',
    notYet: '尚未进行过对账。',
    day: '日期',
    type: '消息类型',
    sent: '已发送',
    acked: '已确认',
    failed: '发送失败',
    pending: '重试中',
    failedAttempts: '失败尝试次数',
    empty: '所选期间没有报送的消息。',
    legend: '已发送：进入发件箱的消息；已确认：上级平台已确认接收（含重复确认）；发送失败：多次重试仍未确认、已转入死信队列，待运维处理后重新投递；重试中：尚未确认、正在按退避策略重试。',
  },
}
