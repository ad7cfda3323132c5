import { describe, expect, it } from 'vitest'
import { planRerun } from '../../src/runner/rerun.js'
import { selectRun } from '../../src/runner/selection.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'
import { planOf } from '../helpers/plans.js'

const sequential = { maxCases: 100, batch: 10, alpha: 0.05 }

describe('selectRun', () => {
  it('runs the whole suite by default, each eval with variants against its first variant', () => {
    const planned = [planOf('plain', 3), planOf('pair', 2, ['a', 'b'])]
    const selection = selectRun(planned, {})
    expect(selection).toEqual({ scope: planned, plans: planned, baselines: [undefined, 'a'] })
  })

  it('with --shard, runs its share and carries every case position for merging', () => {
    const selection = selectRun([planOf('x', 3), planOf('y', 2)], { shard: { index: 2, count: 2 } })
    expect(selection.plans.map((plan) => [plan.name, plan.cases.map((entry) => entry.id)])).toEqual([
      ['x', ['c1']],
      ['y', ['c0']],
    ])
    expect(selection.caseOrder).toEqual({ x: { c0: 0, c1: 1, c2: 2 }, y: { c0: 0, c1: 1 } })
  })

  it('with a rerun, runs only the cases it selects but keeps every eval of the scope', () => {
    const previous = runOf([evalOf('x', [caseOf('c0', [judged()]), caseOf('c1', [judged({ status: 'fail' })])]), evalOf('y', [caseOf('c0', [judged()])])])
    const planned = [planOf('x', 2), planOf('y', 1)]
    const selection = selectRun(planned, { rerun: planRerun('failed', previous) })
    expect(selection.scope).toBe(planned)
    expect(selection.plans.map((plan) => [plan.name, plan.cases.map((entry) => entry.id)])).toEqual([
      ['x', ['c1']],
      ['y', []],
    ])
  })

  it('names the eval and its variants when --baseline-variant is not one of them', () => {
    expect(() => selectRun([planOf('pair', 2, ['a', 'b'])], { baselineVariant: 'c' })).toThrow(/--baseline-variant "c" is not a variant of eval "pair" \(it has a, b\)/)
  })

  it('refuses --until-significant on an eval whose primary metric is not pass rate, naming its file', () => {
    const plan = planOf('pair', 2, ['a', 'b'])
    plan.spec.primaryMetric = 'latency ms'
    expect(() => selectRun([plan], { untilSignificant: sequential })).toThrow(expect.objectContaining({ code: 'ASSAY_USAGE', file: 'evals/pair.eval.ts' }))
    expect(() => selectRun([plan], {})).not.toThrow()
  })
})
