// 居民身份证号码 (GB 11643-1999): 17 digits and a check character (0-9 or X). The server checks the
// same rule (models/case.py resident_id_is_valid); checking here lets the clerk fix a typo at once.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export type IdCardProblem = 'empty' | 'length' | 'format' | 'birthday' | 'checksum'

export function normalizeIdNumber(value: string): string {
  return value.trim().toUpperCase()
}

/** The check character the first 17 digits call for. */
export function checkCharacter(first17: string): string {
  const total = [...first17].reduce((sum, digit, index) => sum + Number(digit) * WEIGHTS[index], 0)
  return CHECK[total % 11]
}

/** What is wrong with the number, or null when it is valid. */
export function idCardProblem(raw: string): IdCardProblem | null {
  const value = normalizeIdNumber(raw)
  if (!value) return 'empty'
  if (value.length !== 18) return 'length'
  if (!/^\d{17}[\dX]$/.test(value)) return 'format'
  const year = Number(value.slice(6, 10))
  const month = Number(value.slice(10, 12))
  const day = Number(value.slice(12, 14))
  const birthday = new Date(Date.UTC(year, month - 1, day))
  if (year < 1900 || birthday.getUTCMonth() !== month - 1 || birthday.getUTCDate() !== day) return 'birthday'
  return checkCharacter(value.slice(0, 17)) === value[17] ? null : 'checksum'
}

export function isValidIdNumber(raw: string): boolean {
  return idCardProblem(raw) === null
}
