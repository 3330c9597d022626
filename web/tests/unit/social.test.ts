import { describe, expect, it } from 'vitest'

import { answersOf, barOption, missingRequired, type SurveyQuestion } from '@/api/social'

const QUESTIONS: SurveyQuestion[] = [
  { question_id: 'q1', kind: 'single', title: '是否满意', required: true, options: [{ option_id: 'o1', label: '满意' }, { option_id: 'o2', label: '不满意' }] },
  { question_id: 'q2', kind: 'multiple', title: '渠道', required: false, options: [{ option_id: 'o1', label: '网上' }, { option_id: 'o2', label: '窗口' }] },
  { question_id: 'q3', kind: 'text', title: '建议', required: true, options: [] },
]

describe('survey answers', () => {
  it('keeps only what was filled in, single choices as lists, text trimmed', () => {
    expect(answersOf(QUESTIONS, { q1: 'o2', q2: [], q3: '  多开窗口  ' })).toEqual({ q1: ['o2'], q3: '多开窗口' })
    expect(answersOf(QUESTIONS, { q1: '', q2: ['o1', 'o2'], q3: '   ' })).toEqual({ q2: ['o1', 'o2'] })
  })

  it('names the required questions left empty, in order', () => {
    expect(missingRequired(QUESTIONS, { q2: ['o1'] })).toEqual(['q1', 'q3'])
    expect(missingRequired(QUESTIONS, { q1: ['o1'], q3: '好' })).toEqual([])
  })

  it('charts one bar per option with its count', () => {
    const option = barOption({ question_id: 'q1', kind: 'single', title: '是否满意', options: [{ option_id: 'o1', label: '满意', count: 3 }, { option_id: 'o2', label: '不满意', count: 1 }] })
    expect(option.yAxis.data).toEqual(['满意', '不满意'])
    expect(option.series[0].data).toEqual([3, 1])
  })
})
