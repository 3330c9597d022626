// The top navigation: top-level links and drop-down groups, in `order`.

export interface NavLink {
  to: string
  /** i18n key */
  label: string
  test: string
  order: number
  /** i18n key of the drop-down group */
  group?: string
}

export type NavEntry =
  | { kind: 'link'; key: string; order: number; link: NavLink }
  | { kind: 'group'; key: string; order: number; label: string; links: NavLink[] }

/** Groups links by `group` (a group sits where its first link would), each part sorted by `order`. */
export function buildNav(links: NavLink[]): NavEntry[] {
  const sorted = [...links].sort((a, b) => a.order - b.order)
  const entries: NavEntry[] = []
  const groups = new Map<string, Extract<NavEntry, { kind: 'group' }>>()
  for (const link of sorted) {
    if (!link.group) {
      entries.push({ kind: 'link', key: link.to, order: link.order, link })
      continue
    }
    let group = groups.get(link.group)
    if (!group) {
      group = { kind: 'group', key: link.group.split('.').pop() ?? link.group, order: link.order, label: link.group, links: [] }
      groups.set(link.group, group)
      entries.push(group)
    }
    group.links.push(link)
  }
  return entries
}
