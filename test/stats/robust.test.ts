import { describe, expect, it } from 'vitest'
import { bootstrapTTest } from '../../src/stats/bootstrap.js'
import { normalDraw, seededRandom } from '../../src/stats/random.js'
import { pairedTTest } from '../../src/stats/tests.js'
import { T_TEST_FROM } from '../../src/compare/verdict.js'

/** Mean zero but skewed: most cases a little better, one in ten much worse, plus N(0, 0.05^2). */
function skewed(n: number, random: () => number): number[] {
  return Array.from({ length: n }, () => (random() < 0.9 ? 0.05 : -0.45) + 0.05 * normalDraw(random))
}

describe('score comparisons hold alpha on skewed differences (issue 13, item 6)', () => {
  it('the bootstrap-t rejects a true null within alpha + 1 point at n = 30, where the t-test does not', () => {
    const random = seededRandom(2024)
    const runs = 1500
    let bootstrap = 0
    let t = 0
    for (let run = 0; run < runs; run++) {
      const d = skewed(30, random)
      if (bootstrapTTest(d, { resamples: 999, random }).pValue < 0.05) bootstrap++
      if (pairedTTest(d, new Array<number>(30).fill(0)).pValue < 0.05) t++
    }
    // Standard error of a 5% rate over 1,500 runs: 0.56 points.
    expect(bootstrap / runs).toBeLessThanOrEqual(0.06)
    expect(t / runs).toBeGreaterThan(0.075)
  }, 60_000)

  it(`the t-test, which takes over from ${T_TEST_FROM} cases, holds alpha + 1 point there`, () => {
    const random = seededRandom(7)
    const runs = 3000
    let t = 0
    for (let run = 0; run < runs; run++) {
      const d = skewed(T_TEST_FROM, random)
      if (pairedTTest(d, new Array<number>(T_TEST_FROM).fill(0)).pValue < 0.05) t++
    }
    expect(t / runs).toBeLessThanOrEqual(0.06)
  }, 60_000)

  it('the bootstrap-t interval excludes 0 exactly when p < alpha', () => {
    const random = seededRandom(5)
    for (let run = 0; run < 200; run++) {
      const d = skewed(12, random).map((value) => value + 0.1 * (run % 3))
      const result = bootstrapTTest(d, { resamples: 199, random: seededRandom(run) })
      expect(result.interval.low > 0 || result.interval.high < 0).toBe(result.pValue < 0.05)
    }
  })

  it('gives the same answer for the same data (seeded resamples)', () => {
    const d = skewed(20, seededRandom(1))
    expect(bootstrapTTest(d)).toEqual(bootstrapTTest(d))
  })
})
