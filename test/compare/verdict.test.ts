import { describe, expect, it } from 'vitest'
import { compareVariants } from '../../src/compare/index.js'
import type { CaseResult, JudgedSample } from '../../src/results/types.js'

function sample(pass: boolean, score: number, index = 0, latencyMs = 100): JudgedSample {
  return {
    status: pass ? 'pass' : 'fail',
    index,
    prompt: undefined,
    calls: [{ purpose: 'answer', key: 'k', source: 'fixture', fixture: undefined, model: 'm', latencyMs, firstTokenMs: undefined, promptTokens: 10, completionTokens: 50, cutShort: undefined, retries: 0 }],
    attempts: 1,
    cutShort: undefined,
    durationMs: 1,
    output: 'x',
    score,
    assertions: [{ kind: 'custom', name: 'quality', pass, score, reason: '', weight: 1, advisory: false }],
  }
}

function caseResult(id: string, variant: string, samples: JudgedSample[]): CaseResult {
  const status = samples.every((s) => s.status === 'pass') ? 'pass' : 'fail'
  return { id, variant, name: id, vars: {}, reference: undefined, tags: undefined, status, repeats: { passed: samples.filter((s) => s.status === 'pass').length, total: samples.length }, flaky: false, samples }
}

/** n cases; the baseline passes where `a(i)`, the variant where `b(i)`. */
function results(n: number, a: (i: number) => boolean, b: (i: number) => boolean): CaseResult[] {
  return Array.from({ length: n }, (_, i) => [caseResult(`c${i}`, 'v1', [sample(a(i), a(i) ? 1 : 0.2)]), caseResult(`c${i}`, 'v2', [sample(b(i), b(i) ? 1 : 0.2)])]).flat()
}

describe('compareVariants', () => {
  it('calls a large paired improvement better, with exact McNemar and Holm across metrics', () => {
    // 30 cases: v1 passes 9 (i % 10 < 3), v2 passes 27 (i % 10 < 9); v1 never passes where v2 fails.
    const comparisons = compareVariants(results(30, (i) => i % 10 < 3, (i) => i % 10 < 9), ['v1', 'v2'], 'v1')
    const passRate = comparisons.find((c) => c.metric === 'pass rate')!
    expect(passRate).toMatchObject({ baseline: 'v1', variant: 'v2', n: 30, test: 'exact McNemar', verdict: 'better', better: 'higher' })
    expect(passRate.difference).toBeCloseTo(0.6, 12)
    // 18 discordant pairs, all for v2: 2 * 0.5^18.
    expect(passRate.pValue).toBeCloseTo(2 * 0.5 ** 18, 15)
    expect(passRate.pAdjusted).toBeGreaterThanOrEqual(passRate.pValue)
    expect(passRate.interval.low).toBeGreaterThan(0.35)
    expect(passRate.sentence).toMatch(/^better: pass rate \+60\.0 points, 95% CI \[\+\d+\.\d, \+\d+\.\d\], p < 0\.001 \(Holm\), n = 30 paired cases, exact McNemar$/)
    expect(comparisons.map((c) => c.metric)).toEqual(['pass rate', 'score: quality', 'latency ms', 'completion tokens'])
    expect(comparisons.find((c) => c.metric === 'latency ms')).toMatchObject({ verdict: 'no significant difference', better: 'lower', difference: 0 })
  })

  it('calls a small sample inconclusive and says how many more cases would settle it', () => {
    const comparisons = compareVariants(results(4, (i) => i < 2, (i) => i < 3), ['v1', 'v2'], 'v1')
    const passRate = comparisons.find((c) => c.metric === 'pass rate')!
    expect(passRate.verdict).toBe('inconclusive')
    expect(passRate.moreCasesNeeded).toBeGreaterThan(100)
    expect(passRate.sentence).toMatch(/^inconclusive — about \d+ more cases needed to detect a 5-point difference \(pass rate \+25\.0 points/)
  })

  it('calls a regression worse', () => {
    const comparisons = compareVariants(results(40, () => true, (i) => i % 4 === 0), ['v1', 'v2'], 'v1')
    expect(comparisons.find((c) => c.metric === 'pass rate')).toMatchObject({ verdict: 'worse' })
  })

  it('uses case means under a clustered paired t when cases have repeats', () => {
    const cases = Array.from({ length: 12 }, (_, i) => [
      caseResult(`c${i}`, 'v1', [sample(true, 0.5, 0), sample(false, 0.4, 1)]),
      caseResult(`c${i}`, 'v2', [sample(true, 0.7 + (i % 3) / 100, 0), sample(true, 0.8, 1)]),
    ]).flat()
    const passRate = compareVariants(cases, ['v1', 'v2'], 'v1').find((c) => c.metric === 'pass rate')!
    expect(passRate.test).toBe('paired sign test (all differences equal) on case means (clustered)')
    const score = compareVariants(cases, ['v1', 'v2'], 'v1').find((c) => c.metric === 'score: quality')!
    expect(score).toMatchObject({ test: 'paired t-test on case means (clustered)', verdict: 'better', n: 12 })
  })

  it('leaves out cases that errored under either variant', () => {
    const cases = results(6, () => true, () => true)
    cases[1] = { ...cases[1]!, status: 'error', samples: [{ ...sample(false, 0), status: 'error', error: { code: undefined, message: 'x', file: undefined, fix: undefined } } as never] }
    expect(compareVariants(cases, ['v1', 'v2'], 'v1').find((c) => c.metric === 'pass rate')!.n).toBe(5)
  })

  it('compares each of several variants with the baseline', () => {
    const cases = [...results(10, () => true, () => true), ...results(10, () => true, () => false).filter((c) => c.variant === 'v2').map((c) => ({ ...c, variant: 'v3' }))]
    const passRates = compareVariants(cases, ['v1', 'v2', 'v3'], 'v1').filter((c) => c.metric === 'pass rate')
    expect(passRates.map((c) => [c.variant, c.verdict])).toEqual([
      ['v2', 'inconclusive'],
      ['v3', 'worse'],
    ])
  })
})
