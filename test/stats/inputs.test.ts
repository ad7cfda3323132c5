import { describe, expect, it } from 'vitest'
import * as stats from '../../src/stats/index.js'
import { holm, meanInterval } from '../../src/stats/intervals.js'
import { mcnemarExact, oneSampleTTest, pairedTTest, welchTTest } from '../../src/stats/tests.js'

describe('near-zero variance takes the exact fallback (issue 13, item 2)', () => {
  it('treats differences equal up to rounding as equal: the sign test, not t = 2.7e15', () => {
    // [.6,.7,.8] - [.5,.6,.7] is 0.1 three times, give or take 1e-16.
    const result = pairedTTest([0.6, 0.7, 0.8], [0.5, 0.6, 0.7])
    expect(result.method).toBe('sign test (all differences equal)')
    // Exact sign test, 3 of 3 positive: 2 * 0.5^3.
    expect(result.pValue).toBeCloseTo(0.25, 12)
    expect(result).toEqual(pairedTTest([1, 1, 1], [0, 0, 0]))
  })

  it('keeps the t-test when the spread is real, however small next to the values', () => {
    expect(pairedTTest([1e6 + 0.1, 1e6 + 0.2, 1e6 + 0.4], [1e6, 1e6, 1e6]).method).toBe('t-test')
    expect(oneSampleTTest([0.1, 0.1 + 1e-6, 0.1 - 1e-6], 0).method).toBe('t-test')
  })

  it('gives Welch the Mann-Whitney fallback when both spreads are rounding noise', () => {
    expect(welchTTest([0.6 - 0.5, 0.7 - 0.6, 0.8 - 0.7], [0, 0, 0]).method).toBe('Mann-Whitney U (no variation)')
  })
})

describe('NaN and infinite input is an error, not an answer (issue 13, item 3)', () => {
  it('pairedTTest names the bad value instead of returning p = 1', () => {
    expect(() => pairedTTest([0.5, Number.NaN, 0.7], [0.4, 0.5, 0.6])).toThrow(new RangeError('x[1] is NaN; every value must be a finite number.'))
    expect(() => pairedTTest([0.5, 0.6], [0.4, Infinity])).toThrow(/y\[1\] is Infinity/)
  })

  it('mcnemarExact refuses NaN and fractional counts instead of returning p = 0', () => {
    expect(() => mcnemarExact(Number.NaN, 3)).toThrow(RangeError)
    expect(() => mcnemarExact(2.5, 3)).toThrow(/b is 2.5; it must be a whole number/)
  })

  it('every exported test and interval refuses a NaN', () => {
    const bad = [0.1, Number.NaN, 0.3]
    const good = [0.2, 0.2, 0.4]
    const calls: (() => unknown)[] = [
      () => stats.welchTTest(bad, good),
      () => stats.wilcoxonSignedRank(bad, good),
      () => stats.mannWhitneyU(good, bad),
      () => stats.signTest(bad),
      () => stats.oneSampleTTest(bad, 0),
      () => stats.binomialTest(Number.NaN, 10),
      () => stats.meanInterval(bad),
      () => stats.wilsonInterval(Number.NaN, 10),
      () => stats.clopperPearsonInterval(3, Number.NaN),
      () => stats.pairedProportionInterval({ a: 1, b: Number.NaN, c: 1, d: 1 }),
      () => stats.clusteredStandardError([good, bad]),
      () => stats.pairedSampleSize(Number.NaN, 0.1),
      () => stats.pairedProportionSampleSize(0.3, Number.NaN),
      () => stats.nonInferiority(bad, 0.05),
      () => stats.regressionBeyondMargin(bad, 0.05),
      () => stats.discordantEvidence(Number.NaN, 1),
      () => stats.bettingEvidence(bad),
      () => stats.alwaysValidP(Number.NaN),
      () => stats.bootstrapTTest(bad),
      () => stats.mcnemarSampleSize(Number.NaN, 0.1),
      () => stats.meanSampleSize(0.2, Number.NaN),
      () => stats.normalSf(Number.NaN),
      () => stats.tSf(Number.NaN, 3),
      () => stats.tQuantile(0.9, Number.NaN),
      () => stats.regularizedBeta(Number.NaN, 1, 1),
      () => stats.binomialCdf(2, 10, Number.NaN),
      () => stats.discordantGroupSequential([{ cases: 10, discordant: Number.NaN, variantWins: 1 }], { alpha: 0.05, spending: 'pocock', horizon: 10 }),
    ]
    for (const call of calls) expect(call).toThrow(RangeError)
  })

  it('holm keeps a bad p to its own index: NaN there, the others adjusted as if it were 1', () => {
    const adjusted = holm([0.01, Number.NaN, 0.02])
    expect(adjusted[1]).toBeNaN()
    // As p.adjust(c(0.01, 1, 0.02), "holm") in R: 0.03, 1, 0.04.
    expect(adjusted[0]).toBeCloseTo(0.03, 12)
    expect(adjusted[2]).toBeCloseTo(0.04, 12)
    expect(holm([0.2, 1.5])).toEqual([0.4, Number.NaN])
  })

  it('meanInterval of finite values never holds a NaN', () => {
    const interval = meanInterval([0.1, 0.1, 0.1])
    expect([interval.low, interval.high, interval.estimate].some(Number.isNaN)).toBe(false)
  })
})
