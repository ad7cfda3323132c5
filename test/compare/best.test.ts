import { describe, expect, it } from 'vitest'
import { bestSetting } from '../../src/compare/best.js'
import { aggregates } from '../../src/results/aggregates.js'
import type { CaseResult, VariantResult } from '../../src/results/types.js'
import { caseOf, judged } from '../helpers/results.js'

function variant(name: string, cases: CaseResult[]): VariantResult {
  const mine = cases.filter((entry) => entry.variant === name)
  const passed = mine.filter((entry) => entry.status === 'pass').length
  const errored = mine.filter((entry) => entry.status === 'error').length
  return { name, status: 'pass', passRate: passed / mine.length, model: 'llama3.2', template: undefined, counts: { cases: mine.length, passed, failed: mine.length - passed - errored, errored }, metrics: aggregates(mine) }
}

describe('bestSetting', () => {
  it('names pass rate, not the primary metric, when no case has a value of that metric to pick by', () => {
    const cases = ['a', 'b'].flatMap((id) => [caseOf(id, [judged({ status: 'fail' })], 'cold'), caseOf(id, [judged()], 'warm')])
    const best = bestSetting([variant('cold', cases), variant('warm', cases)], [], cases, 'score: tone', 'cold')
    expect(best).toMatchObject({ variant: 'warm', metric: 'pass rate', value: 1 })
    expect(best.sentence).toMatch(/^warm, pass rate 100% \(95% CI/)
  })

  it('picks the lowest mean for a lower-is-better primary metric', () => {
    const cases = ['a', 'b'].flatMap((id) => [
      caseOf(id, [judged({ calls: [{ ...judged().calls[0]!, completionTokens: 300 }] })], 'long'),
      caseOf(id, [judged({ calls: [{ ...judged().calls[0]!, completionTokens: 120 }] })], 'short'),
    ])
    const best = bestSetting([variant('long', cases), variant('short', cases)], [], cases, 'completion tokens', 'long')
    expect(best).toMatchObject({ variant: 'short', metric: 'completion tokens', value: 120 })
  })
})
