import { describe, expect, it } from 'vitest'
import { clusteredStandardError, holm, meanInterval, nonInferiority, pairedProportionInterval, pairedProportionSampleSize, pairedSampleSize } from '../../src/stats/intervals.js'
import { alwaysValidP, bettingEvidence, discordantEvidence } from '../../src/stats/sequential.js'
import { binomialTest, mannWhitneyU, mcnemarExact, pairedTTest, welchTTest, wilcoxonSignedRank } from '../../src/stats/tests.js'
import { seededRandom } from '../helpers/random.js'

const random = seededRandom

describe('edge cases answer sensibly and never with NaN', () => {
  const all = (x: number[], y: number[]) => [pairedTTest(x, y), wilcoxonSignedRank(x, y), welchTTest(x, y), mannWhitneyU(x, y)]

  it.each([
    ['n = 0', [], []],
    ['n = 1', [0.5], [0.7]],
    ['n = 2', [0.5, 0.6], [0.7, 0.9]],
    ['all differences zero', [0.2, 0.4, 0.9], [0.2, 0.4, 0.9]],
    ['all values equal', [1, 1, 1, 1], [1, 1, 1, 1]],
    ['perfect separation', [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]],
  ] as [string, number[], number[]][])('%s', (_, x, y) => {
    for (const result of all(x, y)) {
      expect(Number.isNaN(result.statistic)).toBe(false)
      expect(Number.isFinite(result.pValue)).toBe(true)
      expect(result.pValue).toBeGreaterThanOrEqual(0)
      expect(result.pValue).toBeLessThanOrEqual(1)
    }
    for (const interval of [meanInterval(x.map((v, i) => v - y[i]!)), pairedProportionInterval({ a: 0, b: 0, c: 0, d: 0 })]) {
      expect([interval.estimate, interval.low, interval.high].some(Number.isNaN)).toBe(false)
    }
  })

  it('treats every case improving by the same amount with the exact sign test, not t = Infinity', () => {
    const result = pairedTTest([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1])
    expect(result).toMatchObject({ statistic: 0, method: 'sign test (all differences equal)' })
    expect(result.pValue).toBeCloseTo(2 / 64, 12)
  })

  it('gives p = 1 with nothing to test', () => {
    expect(mcnemarExact(0, 0).pValue).toBe(1)
    expect(binomialTest(0, 0).pValue).toBe(1)
    expect(pairedTTest([1], [2])).toMatchObject({ pValue: 1, method: 'too few pairs' })
  })
})

describe('Holm', () => {
  it('matches R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")', () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005])
    ;[0.03, 0.06, 0.06, 0.02].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 12))
  })
})

describe('sample size', () => {
  it('matches Miller (2024) Eq. 9: omega^2 = 1/9, delta = 0.03 gives 969 questions', () => {
    expect(pairedSampleSize(Math.sqrt(1 / 9), 0.03)).toBe(969)
  })

  it('Connor (1987) for paired proportions grows as the difference shrinks', () => {
    const wide = pairedProportionSampleSize(0.3, 0.1)
    const narrow = pairedProportionSampleSize(0.3, 0.05)
    expect(wide).toBe(234)
    expect(narrow).toBeGreaterThan(3.5 * wide)
  })
})

describe('clustered standard error (Miller 2024, Eq. 4)', () => {
  it('equals the plain SE of the mean for one item per cluster (with n in the denominator)', () => {
    const values = [0.2, 0.5, 0.9, 0.4]
    const mean = 0.5
    const expected = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0)) / values.length
    expect(clusteredStandardError(values.map((v) => [v]))).toBeCloseTo(expected, 12)
  })

  it('grows when repeats within a case agree with each other', () => {
    const independent = clusteredStandardError([[1, 0], [0, 1], [1, 0], [0, 1]])
    const correlated = clusteredStandardError([[1, 1], [0, 0], [1, 1], [0, 0]])
    expect(independent).toBe(0)
    expect(correlated).toBeCloseTo(0.25, 12)
  })
})

describe('non-inferiority', () => {
  it('passes a run no worse than the margin and fails one that is', () => {
    const same = Array.from({ length: 40 }, (_, i) => ((i % 5) - 2) / 100)
    expect(nonInferiority(same, 0.05).nonInferior).toBe(true)
    const worse = same.map((d) => d - 0.08)
    expect(nonInferiority(worse, 0.05).nonInferior).toBe(false)
  })
})

describe('A/A simulations (seeded): false positives stay within alpha', () => {
  const runs = 2000
  const alpha = 0.05
  // Two binomial standard errors above alpha allow for the simulation's own sampling error.
  const ceiling = alpha + 2 * Math.sqrt((alpha * (1 - alpha)) / runs)

  it('exact McNemar on 40 paired pass/fail cases', () => {
    const next = random(1)
    let rejections = 0
    for (let run = 0; run < runs; run++) {
      let b = 0
      let c = 0
      for (let i = 0; i < 40; i++) {
        const a = next() < 0.6
        const bPass = next() < 0.6
        if (a && !bPass) b++
        if (!a && bPass) c++
      }
      if (mcnemarExact(b, c).pValue < alpha) rejections++
    }
    expect(rejections / runs).toBeLessThanOrEqual(ceiling)
  })

  it('paired t on 30 skewed scores', () => {
    const next = random(2)
    let rejections = 0
    for (let run = 0; run < runs; run++) {
      const x = Array.from({ length: 30 }, () => next() ** 3)
      const y = Array.from({ length: 30 }, () => next() ** 3)
      if (pairedTTest(x, y).pValue < alpha) rejections++
    }
    expect(rejections / runs).toBeLessThanOrEqual(ceiling)
    expect(rejections / runs).toBeGreaterThan(0.02)
  })

  it('peeking after every pair: the Beta-mixture test holds alpha, a naive McNemar does not', () => {
    const next = random(3)
    let sequential = 0
    let naive = 0
    for (let run = 0; run < 500; run++) {
      let b = 0
      let c = 0
      let rejectedSequential = false
      let rejectedNaive = false
      for (let i = 0; i < 200; i++) {
        const a = next() < 0.5
        const bPass = next() < 0.5
        if (a && !bPass) b++
        if (!a && bPass) c++
        if (!rejectedSequential && alwaysValidP(discordantEvidence(b, c)) < alpha) rejectedSequential = true
        if (!rejectedNaive && b + c > 0 && mcnemarExact(b, c).pValue < alpha) rejectedNaive = true
      }
      if (rejectedSequential) sequential++
      if (rejectedNaive) naive++
    }
    expect(sequential / 500).toBeLessThanOrEqual(alpha)
    expect(naive / 500).toBeGreaterThan(2 * alpha)
  })

  it('peeking after every case: the betting e-process holds alpha on scores', () => {
    const next = random(4)
    let rejections = 0
    for (let run = 0; run < 500; run++) {
      const d: number[] = []
      for (let i = 0; i < 150; i++) {
        d.push(next() - next())
        if (alwaysValidP(bettingEvidence(d)) < alpha) {
          rejections++
          break
        }
      }
    }
    expect(rejections / 500).toBeLessThanOrEqual(alpha)
  })

  it('and the sequential tests do find a real difference', () => {
    expect(alwaysValidP(discordantEvidence(5, 40))).toBeLessThan(0.01)
    expect(alwaysValidP(bettingEvidence(Array.from({ length: 60 }, () => 0.3)))).toBeLessThan(0.01)
  })
})
