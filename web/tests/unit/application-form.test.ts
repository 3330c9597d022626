import { describe, expect, it } from 'vitest'

import type { CatalogItem, FormField, Material } from '@/api/types'
import { useApplicationForm } from '@/composables/useApplicationForm'

const field = (field_id: string, required: boolean): FormField => ({ field_id, label: `字段${field_id}`, required, max_length: 50 })
const material = (material_id: string): Material => ({ material_id, name: `材料${material_id}`, required: true, copies: '1份', note: '' })
const item = (fields: FormField[], materials: Material[]) => ({ item_code: 'X', form_fields: fields, materials }) as unknown as CatalogItem

describe('the application form shared by the citizen and the window', () => {
  it('fits the form to an item: typed values kept, another item’s fields dropped, a file list per material', () => {
    const application = useApplicationForm(['_other'])
    application.fitTo(item([field('a', true), field('b', false)], [material('m1')]))
    application.form.a = '已填'
    application.form.b = '另一项'
    application.fitTo(item([field('a', true), field('c', false)], [material('m2')]))
    expect(application.form).toEqual({ a: '已填', c: '' })
    expect(Object.keys(application.files).sort()).toEqual(['_other', 'm1', 'm2'])
  })

  it('names the required fields left blank, under form.<field>', () => {
    const application = useApplicationForm()
    const current = item([field('a', true), field('b', true), field('c', false)], [])
    application.fitTo(current)
    application.form.b = '  '
    expect(application.emptyRequiredFields(current, (label) => `请填写${label}`)).toEqual({ 'form.a': '请填写字段a', 'form.b': '请填写字段b' })
  })

  it('sends every field in the item’s order and the finished uploads of its materials only', () => {
    const application = useApplicationForm(['_other'])
    const current = item([field('b', false), field('a', false)], [material('m1'), material('m2')])
    application.fitTo(current)
    application.form.a = '甲'
    application.files.m2.push({ key: '1', name: 'x.pdf', size: 1, status: 'done', uploadId: 'u2' })
    application.files.m1.push({ key: '2', name: 'y.pdf', size: 1, status: 'done', uploadId: 'u1' })
    application.files._other.push({ key: '3', name: 'z.pdf', size: 1, status: 'done', uploadId: 'u3' })
    expect(Object.entries(application.formValues(current))).toEqual([['b', ''], ['a', '甲']])
    expect(application.materialUploadIds(current)).toEqual(['u1', 'u2'])
    expect(application.uploadsProblem()).toBeNull()
    application.files._other.push({ key: '4', name: 'w.pdf', size: 1, status: 'uploading' })
    expect(application.uploadsProblem()).toBe('apply.uploadsBusy')
    application.files._other[1].status = 'failed'
    expect(application.uploadsProblem()).toBe('apply.uploadsFailed')
  })
})
