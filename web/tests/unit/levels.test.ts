import { describe, expect, it } from 'vitest'

import { ApiClient } from '@/api/client'
import { evaluationEndpoints, type GovernmentRollup } from '@/api/evaluation'
import { featureMessages } from '@/i18n/features'
import { departmentsAtOrBelow, formatPercent, levelFromQuery, rollupLines } from '@/lib/levels'

import { jsonResponse, scriptedFetch } from './helpers'

const row = (government_id: string, level: GovernmentRollup['level']): GovernmentRollup =>
  ({ government_id, government_name: government_id, level, level_label: level, parent_id: null, departments: 1 }) as unknown as GovernmentRollup

describe('levels on the ranking page', () => {
  it('reads the level from the query and ignores anything else', () => {
    expect(levelFromQuery('county')).toBe('county')
    expect(levelFromQuery('village')).toBe('village')
    expect(levelFromQuery('province')).toBeNull()
    expect(levelFromQuery(['county'])).toBeNull()
    expect(levelFromQuery(undefined)).toBeNull()
  })

  it('indents each government under the highest level shown', () => {
    const lines = rollupLines([row('420700', 'city'), row('420704', 'county'), row('420704001', 'township')])
    expect(lines.map((l) => l.depth)).toEqual([0, 1, 2])
    expect(rollupLines([row('420703', 'county'), row('420704', 'county')]).map((l) => l.depth)).toEqual([0, 0])
    expect(rollupLines([])).toEqual([])
  })

  it('shows rates with two decimals and a dash without data', () => {
    expect(formatPercent(71.4286)).toBe('71.43%')
    expect(formatPercent(100)).toBe('100.00%')
    expect(formatPercent(null)).toBe('—')
  })

  it('asks the ranking for a level and the city inspectors for the bureaus', async () => {
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(200, { rows: [] }), jsonResponse(200, { bureaus: [] }), jsonResponse(200, { rows: [] }))
    const api = evaluationEndpoints(new ApiClient('http://api.test/v1', null, fetchImpl), null, fetchImpl)
    await api.rankings('2026-11', { level: 'county' })
    await api.bureaus(null)
    await api.rankings(null)
    expect(calls.map((c) => c.url)).toEqual([
      'http://api.test/v1/evaluation/rankings?period=2026-11&level=county',
      'http://api.test/v1/evaluation/bureaus',
      'http://api.test/v1/evaluation/rankings',
    ])
  })

  it('narrows the statistics and their export to one level', async () => {
    const { fetchImpl, calls } = scriptedFetch(jsonResponse(200, { rows: [] }), new Response('a,b', { status: 200 }))
    const api = evaluationEndpoints(new ApiClient('http://api.test/v1', null, fetchImpl), null, fetchImpl)
    await api.statistics({ period: '2026-11', dimension: 'department', level: 'township' })
    await api.exportStatistics({ period: '2026-11', dimension: 'status', department: null, level: 'county' }, 'csv')
    expect(calls.map((c) => c.url)).toEqual([
      'http://api.test/v1/statistics?period=2026-11&dimension=department&level=township&format=json',
      'http://api.test/v1/statistics?period=2026-11&dimension=status&level=county&format=csv',
    ])
  })

  it('names every level in Chinese', () => {
    const levels = (featureMessages.evaluation as Record<string, Record<string, string>>).levels
    expect([levels.city, levels.county, levels.township, levels.village]).toEqual(['市级', '县（市、区）级', '乡镇（街道）级', '村（社区）级'])
  })
})

describe("a district 监察局's departments (card appeals it decides)", () => {
  it('keeps the departments of its government and the levels below, never a sibling district or the city', () => {
    const departments = [
      { department_id: 'market', government_id: '420700' },
      { department_id: 'echeng-market', government_id: '420704' },
      { department_id: 'fenghuang-center', government_id: '420704001' },
      { department_id: 'binhu-station', government_id: '420704001001' },
      { department_id: 'huarong-market', government_id: '420703' },
      { department_id: 'unleveled', government_id: null },
    ]
    expect(departmentsAtOrBelow(departments, '420704').map((d) => d.department_id)).toEqual(['echeng-market', 'fenghuang-center', 'binhu-station'])
    expect(departmentsAtOrBelow(departments, '420704001').map((d) => d.department_id)).toEqual(['fenghuang-center', 'binhu-station'])
    expect(departmentsAtOrBelow(departments, '420703').map((d) => d.department_id)).toEqual(['huarong-market'])
  })
})
