// The rules of a citizen's registration form, checked before Cognito sees them so the user can
// fix them in place. The password rule is the pool's policy (infra/constructs/identity.py).

export const PASSWORD_MIN_LENGTH = 12

/** What is wrong with a new password, in words, or null when the pool will accept it. */
export function passwordIssue(password: string): string | null {
  const missing: string[] = []
  if (!/[A-Z]/.test(password)) missing.push('大写字母')
  if (!/[a-z]/.test(password)) missing.push('小写字母')
  if (!/[0-9]/.test(password)) missing.push('数字')
  if (!/[^A-Za-z0-9\s]/.test(password)) missing.push('符号')
  if (password.length < PASSWORD_MIN_LENGTH && missing.length) return `密码至少${PASSWORD_MIN_LENGTH}位，还缺少${missing.join('、')}。`
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少${PASSWORD_MIN_LENGTH}位，当前${password.length}位。`
  if (missing.length) return `密码还缺少${missing.join('、')}。`
  if (/^\s|\s$/.test(password)) return '密码首尾不能是空格。'
  return null
}

/** Letters, digits and . _ -, 4 to 32 characters; a mobile number works too. */
export function usernameIssue(username: string): string | null {
  const value = username.trim()
  if (!value) return '请填写用户名。'
  if (!/^[A-Za-z0-9._-]{4,32}$/.test(value)) return '用户名为4到32位字母、数字或 . _ -（可以用手机号）。'
  return null
}

export function emailIssue(email: string): string | null {
  const value = email.trim()
  if (!value) return '请填写电子邮箱：验证码和找回密码的邮件发到这里。'
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return '电子邮箱格式不正确。'
  return null
}

/** Optional; a mainland mobile number of 11 digits. */
export function mobileIssue(phone: string): string | null {
  const value = phone.trim()
  if (value && !/^1[3-9]\d{9}$/.test(value)) return '手机号应为11位数字，以1开头。'
  return null
}

export function codeIssue(code: string): string | null {
  return /^\d{6}$/.test(code.trim()) ? null : '请填写邮件中的6位数字验证码。'
}
