import { describe, expect, it } from 'vitest'
import { compareVariants } from '../../src/compare/index.js'
import { seededRandom } from '../../src/stats/random.js'
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
    expect(passRate).toMatchObject({ baseline: 'v1', variant: 'v2', n: 30, test: 'exact McNemar', verdict: 'better', better: 'higher', role: 'primary' })
    expect(passRate.difference).toBeCloseTo(0.6, 12)
    // 18 discordant pairs, all for v2: 2 * 0.5^18.
    expect(passRate.pValue).toBeCloseTo(2 * 0.5 ** 18, 15)
    expect(passRate.pAdjusted).toBe(passRate.pValue)
    expect(passRate.interval.low).toBeGreaterThan(0.35)
    expect(passRate.sentence).toMatch(/^better: pass rate \+60\.0 points, 95% CI \[\+\d+\.\d, \+\d+\.\d\], p < 0\.001, n = 30 paired cases, exact McNemar; primary metric$/)
    expect(comparisons.map((c) => c.metric)).toEqual(['pass rate', 'score: quality', 'latency ms', 'completion tokens'])
    expect(comparisons.filter((c) => c.role === 'secondary').map((c) => c.metric)).toEqual(['score: quality', 'latency ms', 'completion tokens'])
    // Identical latencies: the interval is [0, 0], inside any margin.
    expect(comparisons.find((c) => c.metric === 'latency ms')).toMatchObject({ verdict: 'equivalent', better: 'lower', difference: 0 })
  })

  it('calls a small sample inconclusive and says how many more cases would settle it', () => {
    const comparisons = compareVariants(results(4, (i) => i < 2, (i) => i < 3), ['v1', 'v2'], 'v1')
    const passRate = comparisons.find((c) => c.metric === 'pass rate')!
    expect(passRate.verdict).toBe('inconclusive')
    expect(passRate.moreCasesNeeded).toBeGreaterThan(100)
    expect(passRate.powerWithMoreCases).toBeGreaterThanOrEqual(0.8)
    expect(passRate.sentence).toMatch(/^inconclusive — about \d+ more cases would give 8\d\.\d% power to detect a 10-point difference \(pass rate \+25\.0 points/)
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
    // Pass rate compares case verdicts (repeatGate passAll): v1 passes none, v2 all 12.
    expect(passRate).toMatchObject({ test: 'exact McNemar', n: 12, verdict: 'better' })
    const score = compareVariants(cases, ['v1', 'v2'], 'v1').find((c) => c.metric === 'score: quality')!
    expect(score).toMatchObject({ test: 'paired bootstrap-t on case means (clustered)', verdict: 'better', n: 12 })
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

/** n paired cases from a 2x2 table: b cases only v1 passes, c only v2, `both` both pass, the rest neither. */
function table(n: number, b: number, c: number, both = 0): CaseResult[] {
  return results(n, (i) => i < b || (i >= b + c && i < b + c + both), (i) => (i >= b && i < b + c + both))
}

describe('verdicts that agree with themselves (issue 13)', () => {
  it('calls 9 vs 28 discordant pairs in 100 cases better on pass rate, with a p and interval that agree', () => {
    const passRate = compareVariants(table(100, 9, 28, 40), ['v1', 'v2'], 'v1').find((c) => c.metric === 'pass rate')!
    expect(passRate).toMatchObject({ verdict: 'better', role: 'primary', n: 100 })
    // scipy.stats.binomtest(9, 37, 0.5).pvalue = 0.002563
    expect(passRate.pValue).toBeCloseTo(0.0025632, 6)
    expect(passRate.interval.low).toBeGreaterThan(0)
    expect(passRate.sentence).toMatch(/^better: pass rate \+19\.0 points, 95% CI \[\+\d+\.\d, \+\d+\.\d\], p = 0\.003, n = 100 paired cases, exact McNemar; primary metric$/)
  })

  it('never prints "no significant difference": n = 900, b = 100, c = 125 is inconclusive against a 5-point margin (item 5)', () => {
    const comparisons = compareVariants(table(900, 100, 125, 500), ['v1', 'v2'], 'v1', { minimumEffect: 0.05 })
    const passRate = comparisons.find((c) => c.metric === 'pass rate')!
    expect(passRate.verdict).toBe('inconclusive')
    expect(passRate.interval.low).toBeLessThan(0)
    expect(passRate.interval.high).toBeGreaterThan(0.05)
    expect(passRate.sentence).toMatch(/^inconclusive — the interval holds both 0 and differences beyond ±5 points \(pass rate \+2\.8 points, 95% CI \[-\d\.\d, \+\d\.\d\], p = 0\.\d{3}/)
    for (const comparison of comparisons) expect(comparison.sentence).not.toMatch(/no significant difference/)
  })

  it('calls an interval inside the margin equivalent, and names the margin', () => {
    const passRate = compareVariants(table(1000, 60, 60, 700), ['v1', 'v2'], 'v1').find((c) => c.metric === 'pass rate')!
    expect(passRate.verdict).toBe('equivalent')
    expect(passRate.interval.low).toBeGreaterThan(-0.1)
    expect(passRate.interval.high).toBeLessThan(0.1)
    expect(passRate.sentence).toMatch(/^equivalent within ±10 points: pass rate \+0\.0 points, 95% CI \[-\d\.\d, \+\d\.\d\], p = 1\.000/)
  })

  it('does not call silence equivalent: 20 cases without a discordant pair still allow more than 10 points', () => {
    const passRate = compareVariants(table(20, 0, 0, 10), ['v1', 'v2'], 'v1').find((c) => c.metric === 'pass rate')!
    expect(passRate.verdict).toBe('inconclusive')
    expect(passRate.interval.high).toBeGreaterThan(0.1)
  })

  it('after an early sequential stop: the primary verdict is the sequential test, the rest descriptive', () => {
    const cases = table(100, 9, 28, 40)
    const looks = { v2: [{ cases: 80, pairs: 80, baselinePasses: 49, discordant: 30, variantWins: 23, boundary: 23 }] }
    const comparisons = compareVariants(cases, ['v1', 'v2'], 'v1', { sequential: { reason: 'significant', casesRun: 80, design: { alpha: 0.05, spending: 'pocock', horizon: 100, batch: 80 }, looks } })
    const passRate = comparisons.find((c) => c.metric === 'pass rate')!
    expect(passRate).toMatchObject({ verdict: 'better', n: 80, test: 'group-sequential exact McNemar (Pocock-type spending, look 1 of at most 2)' })
    expect(passRate.difference).toBeCloseTo(16 / 80, 12)
    const secondary = comparisons.filter((c) => c.role === 'secondary')
    expect(secondary.map((c) => c.metric)).toEqual(['score: quality', 'latency ms', 'completion tokens'])
    for (const other of secondary) {
      expect(other.verdict).toBe('descriptive')
      expect(other.sentence).toMatch(/^descriptive \(the run stopped early on its primary metric, so no test\)/)
    }
  })

  it('splits alpha over several variants for the primary metric, with intervals at the matching level', () => {
    const cases = [...table(60, 2, 14, 20), ...table(60, 2, 14, 20).filter((c) => c.variant === 'v2').map((c) => ({ ...c, variant: 'v3' }))]
    const passRates = compareVariants(cases, ['v1', 'v2', 'v3'], 'v1').filter((c) => c.metric === 'pass rate')
    for (const passRate of passRates) {
      expect(passRate.interval.level).toBeCloseTo(0.975, 12)
      expect(passRate.pAdjusted).toBeCloseTo(2 * passRate.pValue, 12)
      expect(passRate.sentence).toMatch(/97\.5% CI .* \(Bonferroni over 2 variants: adjusted p = /)
    }
  })

  it('Holm-adjusts the secondary metrics among themselves and prints the adjusted p apart from the interval', () => {
    const comparisons = compareVariants(results(30, (i) => i % 10 < 3, (i) => i % 10 < 9), ['v1', 'v2'], 'v1')
    const score = comparisons.find((c) => c.metric === 'score: quality')!
    expect(score.role).toBe('secondary')
    expect(score.pAdjusted).toBeGreaterThanOrEqual(score.pValue)
    expect(score.sentence).toMatch(/95% CI \[[^\]]+\], p [<=] [\d.]+ \(Holm over 3 secondary comparisons: adjusted p [<=] [\d.]+\)/)
  })

  it('makes the primary metric the one an eval names', () => {
    const comparisons = compareVariants(results(30, (i) => i % 10 < 3, (i) => i % 10 < 9), ['v1', 'v2'], 'v1', { primaryMetric: 'score: quality', minimumEffect: 0.2 })
    expect(comparisons.find((c) => c.role === 'primary')).toMatchObject({ metric: 'score: quality', minimumEffect: 0.2, verdict: 'better' })
    expect(comparisons.find((c) => c.metric === 'pass rate')!.role).toBe('secondary')
  })

  it('covers the true pass-rate difference at least 95% of the time (seeded, 300 runs a setting)', () => {
    const random = seededRandom(3)
    for (const [n, b, c] of [[100, 0.108, 0.208], [50, 0, 0.3]] as const) {
      let covered = 0
      for (let run = 0; run < 300; run++) {
        const outcomes = Array.from({ length: n }, () => {
          const u = random()
          const both = random() < 0.5
          return u < b ? [true, false] : u < b + c ? [false, true] : [both, both]
        })
        const cases = results(n, (i) => outcomes[i]![0]!, (i) => outcomes[i]![1]!)
        const { interval } = compareVariants(cases, ['v1', 'v2'], 'v1').find((x) => x.metric === 'pass rate')!
        if (interval.low <= c - b && c - b <= interval.high) covered++
      }
      // Standard error at 95% over 300 runs: 1.3 points.
      expect(covered / 300).toBeGreaterThanOrEqual(0.95 - 0.025)
    }
  }, 60_000)
})
