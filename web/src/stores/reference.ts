// Reference data used across pages, loaded once: departments and catalog items by code.

import { defineStore } from 'pinia'
import { ref } from 'vue'

import type { CatalogItem, Department } from '@/api/types'
import { services } from '@/services'

export const useReferenceStore = defineStore('reference', () => {
  const departments = ref<Department[]>([])
  let departmentsLoading: Promise<Department[]> | null = null
  const items = new Map<string, Promise<CatalogItem>>()

  function loadDepartments(): Promise<Department[]> {
    if (departments.value.length) return Promise.resolve(departments.value)
    departmentsLoading ??= services()
      .api.departments()
      .then((list) => (departments.value = list))
      .finally(() => (departmentsLoading = null))
    return departmentsLoading
  }

  function department(id: string | null | undefined): Department | undefined {
    return departments.value.find((d) => d.department_id === id)
  }

  /** A catalog item (cached; a failed load is retried next time). */
  function item(code: string): Promise<CatalogItem> {
    let loading = items.get(code)
    if (!loading) {
      loading = services().api.catalogItem(code)
      loading.catch(() => items.delete(code))
      items.set(code, loading)
    }
    return loading
  }

  return { departments, loadDepartments, department, item }
})
