import { describe, expect, it } from 'vitest'

import { notificationTarget, uploadCheckDisplay } from '@/lib/uploadCheck'

const REASON = '文件内容不是PDF 文档，实际为网页或脚本（HTML/SVG/XML）。'

describe('upload check display', () => {
  it('shows the server label, a grey tag and no way to open a file still being checked', () => {
    expect(uploadCheckDisplay({ check_status: 'checking', check_status_label: '校验中', check_reason: null }))
      .toEqual({ label: '校验中', tag: 'info', reason: null, openable: false })
  })

  it('lets a checked file be opened', () => {
    expect(uploadCheckDisplay({ check_status: 'passed', check_status_label: '已校验', check_reason: null }))
      .toEqual({ label: '已校验', tag: 'success', reason: null, openable: true })
  })

  it('shows why a file failed, in red, and never opens it', () => {
    expect(uploadCheckDisplay({ check_status: 'failed', check_status_label: '校验未通过', check_reason: REASON }))
      .toEqual({ label: '校验未通过', tag: 'danger', reason: REASON, openable: false })
  })
})

describe('notification target', () => {
  it('opens a complaint notification on its complaint and an upload notification on my cases', () => {
    expect(notificationTarget({ subject_kind: 'complaint', subject_id: 'TS20261123ABCDEF' })).toBe('/my/complaints/TS20261123ABCDEF')
    expect(notificationTarget({ subject_kind: 'upload', subject_id: 'a'.repeat(32) })).toBe('/my/cases')
    expect(notificationTarget({ subject_kind: 'account', subject_id: 'city.inspector2' })).toBe('/inspector-log')
  })
})
