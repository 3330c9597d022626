// What the citizen's application (ApplyView) and the window's walk-in application (WindowIntakeView)
// share: the item's form values and files per material, the field errors by place, the required
// fields checked before sending, and the body's form and upload ids.
import { computed, reactive, ref } from 'vue'

import { fieldErrorsUnder } from '@/api/errors'
import type { CatalogItem } from '@/api/types'
import { anyFailed, anyUploading, uploadedIds, type UploadEntry } from '@/components/attachments'

export function useApplicationForm(extraFileKeys: string[] = []) {
  const form = reactive<Record<string, string>>({})
  const files = reactive<Record<string, UploadEntry[]>>(Object.fromEntries(extraFileKeys.map((key) => [key, []])))
  const fieldErrors = ref<Record<string, string>>({})
  const applicantErrors = computed(() => fieldErrorsUnder(fieldErrors.value, 'applicant'))
  const formErrors = computed(() => fieldErrorsUnder(fieldErrors.value, 'form'))

  /** The form's fields and the materials' file lists for this item (values already typed are kept). */
  function fitTo(item: CatalogItem): void {
    for (const key of Object.keys(form)) if (!item.form_fields.some((f) => f.field_id === key)) delete form[key]
    for (const field of item.form_fields) form[field.field_id] ??= ''
    for (const material of item.materials) files[material.material_id] ??= []
  }

  /** The item's required form fields left empty, as `form.<field>` → the message for its label. */
  function emptyRequiredFields(item: CatalogItem, message: (label: string) => string): Record<string, string> {
    const empty: Record<string, string> = {}
    for (const field of item.form_fields) if (field.required && !(form[field.field_id] ?? '').trim()) empty[`form.${field.field_id}`] = message(field.label)
    return empty
  }

  /** The message key when a file is still uploading or failed (nothing is sent then). */
  function uploadsProblem(): string | null {
    const all = Object.values(files).flat()
    if (anyUploading(all)) return 'apply.uploadsBusy'
    if (anyFailed(all)) return 'apply.uploadsFailed'
    return null
  }

  /** The body's form: every field of the item, in its order. */
  const formValues = (item: CatalogItem) => Object.fromEntries(item.form_fields.map((f) => [f.field_id, form[f.field_id] ?? '']))
  /** The uploads of the item's materials, in their order. */
  const materialUploadIds = (item: CatalogItem) => item.materials.flatMap((m) => uploadedIds(files[m.material_id] ?? []))

  return { form, files, fieldErrors, applicantErrors, formErrors, fitTo, emptyRequiredFields, uploadsProblem, formValues, materialUploadIds }
}
