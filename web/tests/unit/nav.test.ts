import { describe, expect, it } from 'vitest'

import { buildNav } from '@/lib/nav'

describe('buildNav', () => {
  it('orders links and gathers groups where their first link sits', () => {
    const entries = buildNav([
      { to: '/b', label: 'b', test: 'b', order: 50, group: 'nav.groups.x' },
      { to: '/a', label: 'a', test: 'a', order: 10 },
      { to: '/c', label: 'c', test: 'c', order: 30, group: 'nav.groups.x' },
      { to: '/d', label: 'd', test: 'd', order: 40 },
    ])
    expect(entries.map((e) => e.key)).toEqual(['/a', 'x', '/d'])
    const group = entries[1]
    expect(group.kind === 'group' && group.links.map((l) => l.to)).toEqual(['/c', '/b'])
  })
})
