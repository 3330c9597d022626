import { describe, expect, it } from 'vitest'

import { usePager } from '@/composables/usePager'

describe('usePager’s binding for PagerBar', () => {
  it('shows the pager’s place and pages, and changes the page size, through its listeners', async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      start: { items: [1, 2], next_cursor: 'c2' },
      c2: { items: [3], next_cursor: null },
    }
    const limits: number[] = []
    const paging = usePager<number>(async (cursor, limit) => {
      limits.push(limit)
      return pages[cursor ?? 'start']
    }, 2)
    await paging.first()
    expect(paging.pagerBar.value).toMatchObject({ index: 0, hasPrevious: false, hasNext: true, limit: 2, loading: false })
    await paging.pagerBar.value.onNext()
    expect([paging.pager.items, paging.pagerBar.value.index, paging.pagerBar.value.hasPrevious]).toEqual([[3], 1, true])
    await paging.pagerBar.value.onPrevious()
    expect(paging.pager.items).toEqual([1, 2])
    await paging.pagerBar.value.onLimit(50)
    expect([paging.pagerBar.value.limit, limits.at(-1)]).toEqual([50, 50])
  })
})
