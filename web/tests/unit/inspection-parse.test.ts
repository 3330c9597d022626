import { describe, expect, it } from 'vitest'

import { parseOfficers, parseSubjects } from '@/api/inspection'

describe('the 双随机 plan form', () => {
  it('reads one subject per line, an 18-digit resident id as a person and anything else as a credit code', () => {
    const { subjects, bad } = parseSubjects(
      '鄂州市百味餐饮有限公司，91420700MA4K000101，鄂州市南浦路18号，13807130001\n\n王小明,11010519491231002x,夜市12号摊位,13900139000\n缺字段的一行，9142',
    )
    expect(subjects).toEqual([
      { name: '鄂州市百味餐饮有限公司', id_type: 'credit_code', id_number: '91420700MA4K000101', address: '鄂州市南浦路18号', phone: '13807130001' },
      { name: '王小明', id_type: 'resident_id', id_number: '11010519491231002X', address: '夜市12号摊位', phone: '13900139000' },
    ])
    expect(bad).toEqual([4])
  })

  it('reads one officer per line as name and certificate number', () => {
    expect(parseOfficers('张建军 42070101\n李卫东，42070102\n只有名字')).toEqual({
      officers: [{ name: '张建军', certificate_number: '42070101' }, { name: '李卫东', certificate_number: '42070102' }],
      bad: [3],
    })
  })
})
