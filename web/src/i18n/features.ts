// Feature messages register themselves: each file in ./features/ default-exports an object of
// top-level namespaces (e.g. `{ orders: { ... } }`), merged into the zh-CN messages.

type Tree = { [key: string]: string | Tree }

const modules = import.meta.glob<{ default: Tree }>('./features/*.ts', { eager: true })

export function mergeMessages(base: Tree, extra: Tree): Tree {
  const merged: Tree = { ...base }
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key]
    merged[key] =
      typeof value === 'object' && typeof current === 'object' ? mergeMessages(current, value) : value
  }
  return merged
}

export const featureMessages: Tree = Object.keys(modules)
  .sort()
  .reduce<Tree>((all, path) => mergeMessages(all, modules[path].default), {})
