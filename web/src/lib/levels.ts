// Levels of government (行政层级). The server decides who sees what (services/scope.py); the pages
// only choose what to offer: a district's or township's 监察局 is not offered the city's pages.

/**
 * Whether a 行政区划代码 is below a city: a district or county (6 digits not ending in 00), a
 * township (9) or a village (12). A city's code ends in 00 (鄂州市 420700); no code (an account
 * from before levels) is treated as the city's here, and the server refuses what it may not read.
 */
export function isBelowCity(government: string | null | undefined): boolean {
  if (!government) return false
  return !/^\d{4}00$/.test(government)
}
