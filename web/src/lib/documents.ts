// The documents (文书) a case's steps issued: shown on the timeline entry that issued them and in
// the case's list; each downloads through a short-lived link the API signs on demand.

import type { DocumentView, DownloadLink } from '@/api/types'

/** The documents of each timeline entry (by the entry's seq), in the order they were issued. */
export function documentsBySeq(documents: readonly DocumentView[]): Map<number, DocumentView[]> {
  const bySeq = new Map<number, DocumentView[]>()
  for (const document of [...documents].sort((a, b) => a.seq - b.seq)) {
    bySeq.set(document.seq, [...(bySeq.get(document.seq) ?? []), document])
  }
  return bySeq
}

export interface LinkHost {
  document: Pick<Document, 'createElement' | 'body'>
}

/** Asks for a fresh link and follows it: the link answers with Content-Disposition: attachment,
 * so the browser saves the PDF under its title and 文号. */
export async function followDocumentLink(link: () => Promise<DownloadLink>, host: LinkHost = { document }): Promise<void> {
  const { url } = await link()
  const anchor = host.document.createElement('a')
  anchor.href = url
  anchor.rel = 'noopener'
  host.document.body.append(anchor)
  try {
    anchor.click()
  } finally {
    anchor.remove()
  }
}
