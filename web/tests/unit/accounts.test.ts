import { describe, expect, it } from 'vitest'

import { codeIssue, emailIssue, mobileIssue, passwordIssue, usernameIssue } from '@/lib/accounts'

describe('registration rules', () => {
  it('accepts a password the pool accepts and says what else is missing', () => {
    expect(passwordIssue('Sunlight#2026')).toBeNull()
    expect(passwordIssue('Sun#1')).toBe('密码至少12位，当前5位。')
    expect(passwordIssue('sunlight')).toBe('密码至少12位，还缺少大写字母、数字、符号。')
    expect(passwordIssue('sunlight2026!')).toBe('密码还缺少大写字母。')
    expect(passwordIssue('SUNLIGHT2026x')).toBe('密码还缺少符号。')
    expect(passwordIssue(' Sunlight#2026')).toBe('密码首尾不能是空格。')
  })

  it('checks username, e-mail, mobile and code', () => {
    expect(usernameIssue('zhangsan')).toBeNull()
    expect(usernameIssue('13800138000')).toBeNull()
    expect(usernameIssue('zs')).toContain('4到32位')
    expect(usernameIssue('张三')).toContain('4到32位')
    expect(usernameIssue(' ')).toBe('请填写用户名。')
    expect(emailIssue('zs@example.com')).toBeNull()
    expect(emailIssue('zs@example')).toBe('电子邮箱格式不正确。')
    expect(emailIssue('')).toContain('请填写电子邮箱')
    expect(mobileIssue('')).toBeNull()
    expect(mobileIssue('13800138000')).toBeNull()
    expect(mobileIssue('1380013800')).toContain('11位')
    expect(mobileIssue('23800138000')).toContain('以1开头')
    expect(codeIssue(' 123456 ')).toBeNull()
    expect(codeIssue('12345')).toContain('6位')
  })
})
