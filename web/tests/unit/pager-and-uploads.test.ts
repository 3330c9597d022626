import { describe, expect, it } from 'vitest'

import { ApiError } from '@/api/errors'
import { contentTypeOf, postToStorage, storageErrorMessage } from '@/api/uploads'
import { parseConfig } from '@/config'
import { formatDateTime, formatYuan } from '@/lib/format'
import { CursorPager, FOLLOW_EMPTY_PAGES } from '@/lib/pager'

import { scriptedFetch } from './helpers'

describe('CursorPager', () => {
  const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
    start: { items: [1, 2], next_cursor: 'c2' },
    c2: { items: [3, 4], next_cursor: 'c3' },
    c3: { items: [5], next_cursor: null },
  }
  const requested: (string | null)[] = []
  const loader = async (cursor: string | null, limit: number) => {
    requested.push(cursor)
    expect(limit).toBe(2)
    return pages[cursor ?? 'start']
  }

  it('walks forward and back through the cursors', async () => {
    const pager = new CursorPager(loader, 2)
    await pager.first()
    expect([pager.items, pager.index, pager.hasPrevious, pager.hasNext]).toEqual([[1, 2], 0, false, true])
    await pager.next()
    await pager.next()
    expect([pager.items, pager.index, pager.hasNext]).toEqual([[5], 2, false])
    await pager.next() // no further page
    expect(pager.index).toBe(2)
    await pager.previous()
    expect([pager.items, pager.index]).toEqual([[3, 4], 1])
    await pager.reload()
    expect(requested.slice(-2)).toEqual(['c2', 'c2'])
    await pager.first()
    expect([pager.items, pager.index]).toEqual([[1, 2], 0])
  })

  it('falls back a page when the shown one emptied', async () => {
    let emptied = false
    const pager = new CursorPager(async (cursor) => (cursor === 'c2' && emptied ? { items: [], next_cursor: null } : pages[cursor ?? 'start']), 2)
    await pager.first()
    await pager.next()
    emptied = true
    await pager.reload()
    expect([pager.items, pager.index]).toEqual([[1, 2], 0])
  })

  it('follows empty pages that lead on, a few at a time', async () => {
    // A filtered list: the server answers empty pages with a cursor when its reads ran out.
    const empty = (next: number) => ({ items: [] as number[], next_cursor: `e${next}` })
    const loaded: (string | null)[] = []
    const pager = new CursorPager<number>(async (cursor) => {
      loaded.push(cursor)
      if (cursor === null) return { items: [1], next_cursor: 'e1' }
      const n = Number(cursor.slice(1))
      return n === 3 ? { items: [9], next_cursor: 'e4' } : n < 20 ? empty(n + 1) : { items: [], next_cursor: null }
    }, 2)
    await pager.first()
    await pager.next() // e1, e2 empty, e3 has a match
    expect([pager.items, pager.index, pager.hasPrevious, pager.nextCursor]).toEqual([[9], 1, true, 'e4'])
    expect(loaded).toEqual([null, 'e1', 'e2', 'e3'])
    await pager.next() // e4 … e9: still nothing, shown empty with a way on
    expect([pager.items, pager.index, pager.nextCursor]).toEqual([[], 2, `e${4 + FOLLOW_EMPTY_PAGES + 1}`])
    await pager.previous()
    expect([pager.items, pager.index]).toEqual([[9], 1])
  })

  it('shows the answer to the latest request only', async () => {
    const answers: Record<string, (page: { items: number[]; next_cursor: null }) => void> = {}
    let filter = 'old'
    const pager = new CursorPager<number>(() => {
      const asked = filter
      return new Promise((resolve) => (answers[asked] = resolve))
    }, 2)
    const slow = pager.first()
    filter = 'new'
    const fast = pager.first()
    answers.new({ items: [2], next_cursor: null })
    await fast
    answers.old({ items: [1], next_cursor: null })
    await slow
    expect(pager.items).toEqual([2])
  })
})

describe('uploads', () => {
  it('guesses the type from the extension when the browser gives none', () => {
    expect(contentTypeOf({ name: '营业执照.PDF', type: '' })).toBe('application/pdf')
    expect(contentTypeOf({ name: 'a.jpeg', type: '' })).toBe('image/jpeg')
    expect(contentTypeOf({ name: 'a.docx', type: '' })).toBe('application/octet-stream')
    expect(contentTypeOf({ name: 'a.png', type: 'image/png' })).toBe('image/png')
  })

  it('posts the presigned fields first and the file last', async () => {
    const { fetchImpl, calls } = scriptedFetch(new Response(null, { status: 204 }))
    const ticket = { upload_id: 'u', url: 'http://s3/bucket', fields: { key: 'uploads/x/u', policy: 'p' }, expires_in_seconds: 900, max_bytes: 10 }
    await postToStorage(ticket, new Blob(['%PDF']), '申请书.pdf', fetchImpl)
    const form = calls[0].init.body as FormData
    expect(calls[0].url).toBe('http://s3/bucket')
    expect([...form.keys()]).toEqual(['key', 'policy', 'file'])
    expect((form.get('file') as File).name).toBe('申请书.pdf')
  })

  it('explains storage refusals in Chinese', async () => {
    const xml = '<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>'
    expect(storageErrorMessage(400, xml, 'a.pdf')).toBe('附件“a.pdf”上传失败：文件超过允许的大小，请重新上传。')
    const { fetchImpl } = scriptedFetch(new Response(xml, { status: 400 }), new TypeError('Failed to fetch'))
    const ticket = { upload_id: 'u', url: 'http://s3/b', fields: {}, expires_in_seconds: 900, max_bytes: 10 }
    const refused = await postToStorage(ticket, new Blob(['x']), 'a.pdf', fetchImpl).catch((e) => e)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused.message).toContain('文件超过允许的大小')
    const offline = await postToStorage(ticket, new Blob(['x']), 'a.pdf', fetchImpl).catch((e) => e)
    expect(offline.message).toBe('附件“a.pdf”上传失败：网络连接失败，请重新上传。')
    expect(offline.uncertain).toBe(true)
  })
})

describe('config and formats', () => {
  it('requires the API URL, the client id and the region', () => {
    expect(() => parseConfig({ apiUrl: 'x' })).toThrow('运行配置 config.json 缺少：userPoolClientId、region')
    expect(parseConfig({ apiUrl: 'a', userPoolClientId: 'c', region: 'r', userPoolId: 'p', cognitoEndpoint: '' })).toEqual({
      apiUrl: 'a',
      userPoolClientId: 'c',
      region: 'r',
      userPoolId: 'p',
      cognitoEndpoint: undefined,
    })
  })

  it('shows times in Beijing time and fees in yuan', () => {
    expect(formatDateTime('2026-11-22T16:05:00Z')).toBe('2026-11-23 00:05')
    expect(formatDateTime(null)).toBe('—')
    expect(formatYuan('0.00')).toBeNull()
    expect(formatYuan('80')).toBe('¥80.00')
  })
})
