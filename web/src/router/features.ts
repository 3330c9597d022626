// Feature pages register themselves: each file in ./features/ exports `routes`, with
// `meta.nav` for the pages that appear in the top navigation. Adding a feature touches no shared file.

import type { RouteRecordRaw } from 'vue-router'

const modules = import.meta.glob<{ routes: RouteRecordRaw[] }>('./features/*.ts', { eager: true })

export const featureRoutes: RouteRecordRaw[] = Object.keys(modules)
  .sort()
  .flatMap((path) => modules[path].routes)
