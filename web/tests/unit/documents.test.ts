import { describe, expect, it } from 'vitest'

import type { DocumentView } from '@/api/types'
import { documentsBySeq, followDocumentLink } from '@/lib/documents'

function doc(seq: number, kind: DocumentView['kind'], title: string, number: string): DocumentView {
  return { document_id: `${seq}-${kind}`, kind, title, number_text: number, seq, issued_at: '2026-03-02T10:30:00+08:00' }
}

describe('documents on the timeline', () => {
  it('puts each document on the entry that issued it, in the order issued', () => {
    const notice = doc(5, 'supplement_notice', '补正告知书', '市场监管局补字〔2026〕第1号')
    const acceptance = doc(3, 'acceptance', '受理通知书', '市场监管局受字〔2026〕第12号')
    const bySeq = documentsBySeq([notice, acceptance])
    expect([...bySeq.keys()]).toEqual([3, 5])
    expect(bySeq.get(3)).toEqual([acceptance])
    expect(bySeq.get(4)).toBeUndefined()
  })

  it('asks for a fresh link and follows it with a temporary anchor', async () => {
    const clicked: string[] = []
    const appended: HTMLAnchorElement[] = []
    const anchor = {
      href: '', rel: '',
      click() { clicked.push(this.href) },
      remove() { appended.splice(appended.indexOf(this as unknown as HTMLAnchorElement), 1) },
    }
    const host = {
      document: {
        createElement: () => anchor,
        body: { append: (node: HTMLAnchorElement) => appended.push(node) },
      } as unknown as Pick<Document, 'createElement' | 'body'>,
    }
    let asked = 0
    await followDocumentLink(async () => {
      asked += 1
      return { url: 'https://bucket.example/documents/SL1/000003-acceptance.pdf?X-Amz-Signature=abc', expires_in_seconds: 300 }
    }, host)
    expect(asked).toBe(1)
    expect(clicked).toEqual(['https://bucket.example/documents/SL1/000003-acceptance.pdf?X-Amz-Signature=abc'])
    expect(appended).toEqual([])
  })
})
