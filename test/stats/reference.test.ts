import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { binomialCdf, binomialSfInclusive, normalQuantile, normalSf, tQuantile, tSf } from '../../src/stats/dist.js'
import { meanInterval, pairedProportionInterval, wilsonInterval } from '../../src/stats/intervals.js'
import { binomialTest, mannWhitneyU, mcnemarExact, pairedTTest, welchTTest, wilcoxonSignedRank } from '../../src/stats/tests.js'

// Reference values: scipy (Debian's python3-scipy), made by reference/make_vectors.py.
const vectors = JSON.parse(readFileSync(new URL('./reference/vectors.json', import.meta.url), 'utf8'))

/** Relative error at most `tolerance` (absolute below 1e-300, where doubles run out). */
function expectClose(actual: number, expected: number, tolerance = 1e-6): void {
  const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300)
  expect(error, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance)
}

describe('distributions against scipy.stats (1e-9 relative)', () => {
  it.each(vectors.t_sf as [number, number, number][])('t.sf(%d, df=%d)', (t, df, expected) => expectClose(tSf(t, df), expected, 1e-9))
  // 1e-8 here: scipy 1.10's t.ppf (cephes stdtri) is itself off by ~2e-9 in the far tail, where
  // our quantile inverts t.sf exactly (the round trip below holds to 1e-12).
  it.each(vectors.t_quantile as [number, number, number][])('t.ppf(%d, df=%d)', (p, df, expected) => expectClose(tQuantile(p, df), expected, 1e-8))
  it.each(vectors.t_quantile as [number, number, number][])('t quantile round trip at p=%d, df=%d', (p, df) => expectClose(tSf(tQuantile(p, df), df), 1 - p, 1e-10))
  it.each(vectors.normal_sf as [number, number][])('norm.sf(%d)', (z, expected) => expectClose(normalSf(z), expected, 1e-9))
  it.each(vectors.normal_quantile as [number, number][])('norm.ppf(%d)', (p, expected) => expectClose(normalQuantile(p), expected, 1e-9))
  it.each(vectors.binomial as [number, number, number, number, number][])('binom.cdf / sf at k=%d, n=%d, p=%d', (k, n, p, cdf, sf) => {
    expectClose(binomialCdf(k, n, p), cdf, 1e-9)
    expectClose(binomialSfInclusive(k, n, p), sf, 1e-9)
  })
})

describe('tests against scipy.stats (1e-6 relative)', () => {
  it.each(vectors.binomtest as [number, number, number, number][])('binomtest(%d, %d, %d), two-sided', (k, n, p, expected) => {
    expectClose(binomialTest(k, n, p).pValue, expected)
  })

  it.each(vectors.mcnemar as [number, number, number][])('exact McNemar b=%d c=%d', (b, c, expected) => {
    expectClose(mcnemarExact(b, c).pValue, expected)
  })

  it.each((vectors.ttest_rel as [number[], number[], number, number][]).map((v) => [v[0].length, ...v]))('ttest_rel, n=%d', (_, x, y, t, p) => {
    const result = pairedTTest(x as number[], y as number[])
    expectClose(result.statistic, t as number)
    expectClose(result.pValue, p as number)
  })

  it.each((vectors.ttest_welch as [number[], number[], number, number][]).map((v) => [`${v[0].length}+${v[1].length}`, ...v]))('ttest_ind(equal_var=False), n=%s', (_, x, y, t, p) => {
    const result = welchTTest(x as number[], y as number[])
    expectClose(result.statistic, t as number)
    expectClose(result.pValue, p as number)
  })

  it.each((vectors.wilcoxon as [number[], number[], number, number, string][]).map((v) => [v[4], v[0].length, ...v]))('wilcoxon (%s), n=%d', (method, _, x, y, statistic, p) => {
    const result = wilcoxonSignedRank(x as number[], y as number[])
    expect(result.method).toBe(method)
    expectClose(result.statistic, statistic as number)
    expectClose(result.pValue, p as number)
  })

  it.each((vectors.mannwhitneyu as [number[], number[], number, number, string][]).map((v) => [v[4], `${v[0].length}+${v[1].length}`, ...v]))('mannwhitneyu (%s), n=%s', (method, _, x, y, u, p) => {
    const result = mannWhitneyU(x as number[], y as number[])
    expect(result.method).toBe(method)
    expectClose(result.statistic, u as number)
    expectClose(result.pValue, p as number)
  })
})

describe('intervals against scipy', () => {
  it.each(vectors.wilson as [number, number, number, number][])('Wilson interval %d/%d', (k, n, low, high) => {
    const interval = wilsonInterval(k, n)
    expectClose(interval.low, low, 1e-9)
    expectClose(interval.high, high, 1e-9)
  })

  it.each(vectors.newcombe as number[][])('Newcombe paired interval a=%d b=%d c=%d d=%d', (a, b, c, d, estimate, low, high) => {
    const interval = pairedProportionInterval({ a: a!, b: b!, c: c!, d: d! })
    expectClose(interval.estimate + 2, estimate! + 2, 1e-12)
    expectClose(interval.low + 2, low! + 2, 1e-9)
    expectClose(interval.high + 2, high! + 2, 1e-9)
  })

  it.each((vectors.mean_ci as [number[], number, number, number][]).map((v) => [v[0].length, ...v]))('t interval of a mean, n=%d', (_, values, m, low, high) => {
    const interval = meanInterval(values as number[])
    expectClose(interval.estimate, m as number, 1e-12)
    // The bounds inherit scipy's t.ppf error (see above), magnified by mean - half-width.
    expectClose(interval.low, low as number, 1e-7)
    expectClose(interval.high, high as number, 1e-7)
  })
})
