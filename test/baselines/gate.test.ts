import { describe, expect, it } from 'vitest'
import { checkAgainstBaseline } from '../../src/baselines/gate.js'
import { baselineSchema, toBaseline } from '../../src/baselines/store.js'
import type { EvalResult, JudgedSample } from '../../src/results/types.js'
import { caseOf, evalOf } from '../helpers/results.js'

function sample(pass: boolean): JudgedSample {
  return {
    status: pass ? 'pass' : 'fail',
    index: 0,
    prompt: undefined,
    calls: [{ purpose: 'answer', key: 'k', source: 'live', fixture: undefined, model: 'm', latencyMs: 100, firstTokenMs: undefined, promptTokens: 5, completionTokens: 20, cutShort: undefined, retries: 0 }],
    attempts: 1,
    cutShort: undefined,
    durationMs: 1,
    output: 'a long output that the baseline file does not keep',
    score: pass ? 1 : 0,
    assertions: [{ kind: 'contains', name: 'contains "x"', pass, score: pass ? 1 : 0, reason: '', weight: 1, advisory: false }],
  }
}

function run(passes: (i: number) => boolean, n = 40): EvalResult {
  return evalOf(
    'e',
    Array.from({ length: n }, (_, i) => caseOf(`c${i}`, [sample(passes(i))])),
    { name: 'e', file: 'evals/e.eval.ts', threshold: 0, status: 'pass' },
  )
}

const saved = (result: EvalResult) => baselineSchema.parse(JSON.parse(JSON.stringify(toBaseline(result, '2026-11-24T00:00:00.000Z', '0.1.0'))))

describe('the baseline gate', () => {
  it('keeps verdicts, scores and call figures in the baseline, not outputs', () => {
    const baseline = saved(run(() => true, 2))
    expect(baseline.cases[0]).toEqual({
      id: 'c0',
      status: 'pass',
      samples: [{ status: 'pass', assertions: [{ name: 'contains "x"', score: 1, pass: true }], calls: [{ purpose: 'answer', latencyMs: 100, completionTokens: 20 }] }],
    })
  })

  it('fails a significant drop beyond the margin and names the cases that flipped', () => {
    const baseline = saved(run((i) => i % 10 !== 0))
    const [check] = checkAgainstBaseline(run((i) => i % 10 > 3), baseline, 0.05)
    expect(check).toMatchObject({ regression: true, n: 40, flippedToFail: ['c1', 'c2', 'c3', 'c11', 'c12', 'c13', 'c21', 'c22', 'c23', 'c31', 'c32', 'c33'], flippedToPass: [] })
    expect(check!.difference).toBeCloseTo(-0.3, 12)
    expect(check!.sentence).toMatch(/^regression: pass rate -30\.0 points vs baseline, .* now failing: c1, c2, c3, c11/)
  })

  it('does not fail a drop within the margin, nor one too small to be significant', () => {
    const baseline = saved(run(() => true))
    expect(checkAgainstBaseline(run((i) => i !== 7), baseline, 0.05)[0]).toMatchObject({ regression: false, flippedToFail: ['c7'] })
    expect(checkAgainstBaseline(run((i) => i > 2, 6), saved(run(() => true, 6)), 0.05)[0]).toMatchObject({ regression: false, n: 6 })
  })

  it('compares every metric against the baseline too', () => {
    const [check] = checkAgainstBaseline(run(() => true), saved(run(() => true)), 0.05)
    expect(check!.comparisons.map((c) => [c.baseline, c.variant, c.metric])).toEqual([
      ['baseline', 'current', 'pass rate'],
      ['baseline', 'current', 'score: contains "x"'],
      ['baseline', 'current', 'latency ms'],
      ['baseline', 'current', 'completion tokens'],
    ])
  })
})
