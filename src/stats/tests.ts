import { binomialLnPmf, normalSf, tSf } from './dist.js'
import { mean, ranks, sampleVariance, tieGroups } from './describe.js'
import { count, finiteNumber, finiteValues, probability } from './validate.js'

/**
 * What every test returns. Two-sided p-values unless the function says otherwise; never NaN: a
 * NaN or infinite input throws a RangeError instead.
 */
export interface TestResult {
  statistic: number
  pValue: number
  /** The method actually used, where a rule chose between several. */
  method: string
}

/** scipy's relative tolerance when comparing probabilities in binomtest. */
const RELATIVE_TOLERANCE = 1 + 1e-7

/**
 * Exact binomial test of H0: success probability p. Two-sided as scipy.stats.binomtest: the
 * probability of every outcome no more likely than the one observed.
 */
export function binomialTest(k: number, n: number, p = 0.5): TestResult {
  count('k', k)
  count('n', n)
  probability('p', p)
  if (k > n) throw new RangeError(`k (${k}) cannot exceed n (${n}).`)
  if (n === 0) return { statistic: 0, pValue: 1, method: 'exact binomial' }
  const observed = binomialLnPmf(k, n, p)
  if (k === p * n) return { statistic: k / n, pValue: 1, method: 'exact binomial' }
  const limit = observed + Math.log(RELATIVE_TOLERANCE)
  let total = 0
  for (let i = 0; i <= n; i++) {
    const lnPmf = binomialLnPmf(i, n, p)
    if (lnPmf <= limit) total += Math.exp(lnPmf)
  }
  return { statistic: k / n, pValue: Math.min(1, total), method: 'exact binomial' }
}

/**
 * Exact McNemar test on the discordant pairs: b = A passed and B failed, c = A failed and B
 * passed. The statistic is min(b, c), as in statsmodels.
 */
export function mcnemarExact(b: number, c: number): TestResult {
  count('b', b)
  count('c', c)
  const { pValue } = binomialTest(Math.min(b, c), b + c, 0.5)
  return { statistic: Math.min(b, c), pValue, method: 'exact McNemar' }
}

/**
 * Paired t-test on x - y. With fewer than two pairs there is nothing to test (p = 1); when every
 * difference is the same non-zero number (up to rounding: a spread under 1e-9 of the mean
 * difference) the t statistic is meaningless, so the exact sign test decides instead.
 */
export function pairedTTest(x: number[], y: number[]): TestResult {
  const d = differences(x, y)
  return oneSampleTTest(d, 0)
}

/** One-sample t-test of H0: mean(values) = mu, with the same fallbacks as pairedTTest. */
export function oneSampleTTest(values: number[], mu: number): TestResult {
  finiteValues('values', values)
  finiteNumber('mu', mu)
  const n = values.length
  if (n < 2) return { statistic: 0, pValue: 1, method: 'too few pairs' }
  const m = mean(values) - mu
  const variance = sampleVariance(values)
  if (negligibleSpread(variance, m)) {
    if (m === 0) return { statistic: 0, pValue: 1, method: 't-test (no variation)' }
    return { ...signTest(values.map((v) => v - mu)), method: 'sign test (all differences equal)' }
  }
  const t = m / Math.sqrt(variance / n)
  return { statistic: t, pValue: Math.min(1, 2 * tSf(Math.abs(t), n - 1)), method: 't-test' }
}

/** Welch's t-test for two independent samples (unequal variances). */
export function welchTTest(x: number[], y: number[]): TestResult {
  finiteValues('x', x)
  finiteValues('y', y)
  if (x.length < 2 || y.length < 2) return { statistic: 0, pValue: 1, method: 'too few values' }
  const vx = sampleVariance(x) / x.length
  const vy = sampleVariance(y) / y.length
  const difference = mean(x) - mean(y)
  if (negligibleSpread(vx + vy, difference)) {
    if (difference === 0) return { statistic: 0, pValue: 1, method: 'Welch t-test (no variation)' }
    return { ...mannWhitneyU(x, y), method: 'Mann-Whitney U (no variation)' }
  }
  const t = difference / Math.sqrt(vx + vy)
  const df = (vx + vy) ** 2 / (vx ** 2 / (x.length - 1) + vy ** 2 / (y.length - 1))
  return { statistic: t, pValue: Math.min(1, 2 * tSf(Math.abs(t), df)), method: 'Welch t-test' }
}

/** Exact two-sided sign test on the non-zero values. */
export function signTest(values: number[]): TestResult {
  finiteValues('values', values)
  const positive = values.filter((v) => v > 0).length
  const negative = values.filter((v) => v < 0).length
  return { statistic: positive, pValue: binomialTest(positive, positive + negative, 0.5).pValue, method: 'sign test' }
}

/**
 * Wilcoxon signed-rank test on x - y. Zero differences are dropped (Wilcoxon's method). Then:
 * exact null distribution for n <= 50 without ties; an exact sign-flip permutation over all 2^n
 * assignments for n <= 13 with ties; otherwise the normal approximation with the tie and 0.5
 * continuity corrections. The statistic is min(R+, R-), as in scipy.
 */
export function wilcoxonSignedRank(x: number[], y: number[]): TestResult {
  const d = differences(x, y).filter((value) => value !== 0)
  const n = d.length
  if (n === 0) return { statistic: 0, pValue: 1, method: 'no non-zero differences' }
  const r = ranks(d.map(Math.abs))
  const rPlus = r.reduce((sum, rank, i) => sum + (d[i]! > 0 ? rank : 0), 0)
  const total = (n * (n + 1)) / 2
  const statistic = Math.min(rPlus, total - rPlus)
  const ties = tieGroups(d.map(Math.abs))
  if (ties.length === 0 && n <= 50) {
    const counts = signedRankCounts(n)
    const all = 2 ** n
    const middle = total / 2
    if (rPlus === middle) return { statistic, pValue: 1, method: 'exact' }
    let tail = 0
    if (rPlus > middle) for (let s = rPlus; s <= total; s++) tail += counts[s]!
    else for (let s = 0; s <= rPlus; s++) tail += counts[s]!
    return { statistic, pValue: Math.min(1, (2 * tail) / all), method: 'exact' }
  }
  if (n <= 13) return { statistic, pValue: signFlipPermutation(r, rPlus), method: 'exact permutation (ties)' }
  const mu = total / 2
  let variance = (n * (n + 1) * (2 * n + 1)) / 24
  variance -= ties.reduce((sum, t) => sum + t * (t * t - 1), 0) / 48
  const correction = 0.5 * Math.sign(statistic - mu)
  const z = (statistic - mu - correction) / Math.sqrt(variance)
  return { statistic, pValue: Math.min(1, 2 * normalSf(Math.abs(z))), method: 'normal approximation' }
}

/** How many subsets of {1..n} have each rank sum: exact in doubles up to n = 50 (2^50 < 2^53). */
function signedRankCounts(n: number): number[] {
  const total = (n * (n + 1)) / 2
  const counts = new Array<number>(total + 1).fill(0)
  counts[0] = 1
  for (let rank = 1; rank <= n; rank++) {
    for (let s = total; s >= rank; s--) counts[s]! += counts[s - rank]!
  }
  return counts
}

/** Two-sided p: 2 * min(P(R+ <= observed), P(R+ >= observed)) over all 2^n sign assignments. */
function signFlipPermutation(r: number[], observed: number): number {
  // Ranks are multiples of 1/2; doubling them makes every comparison exact.
  const doubled = r.map((rank) => Math.round(rank * 2))
  const target = Math.round(observed * 2)
  let atMost = 0
  let atLeast = 0
  const all = 2 ** r.length
  for (let mask = 0; mask < all; mask++) {
    let sum = 0
    for (let i = 0; i < doubled.length; i++) if (mask & (1 << i)) sum += doubled[i]!
    if (sum <= target) atMost++
    if (sum >= target) atLeast++
  }
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / all)
}

/**
 * Mann-Whitney U test for two independent samples. Exact when both have at most 8 values and
 * there are no ties; otherwise the normal approximation with tie and continuity corrections.
 * The statistic is U for x, as in scipy.
 */
export function mannWhitneyU(x: number[], y: number[]): TestResult {
  finiteValues('x', x)
  finiteValues('y', y)
  const n1 = x.length
  const n2 = y.length
  if (n1 === 0 || n2 === 0) return { statistic: 0, pValue: 1, method: 'no values' }
  const all = [...x, ...y]
  const r = ranks(all)
  const u1 = r.slice(0, n1).reduce((sum, rank) => sum + rank, 0) - (n1 * (n1 + 1)) / 2
  const u2 = n1 * n2 - u1
  const big = Math.max(u1, u2)
  const ties = tieGroups(all)
  if (n1 <= 8 && n2 <= 8 && ties.length === 0) {
    const counts = mannWhitneyCounts(n1, n2)
    const total = counts.reduce((sum, c) => sum + c, 0)
    let tail = 0
    for (let u = Math.ceil(big); u < counts.length; u++) tail += counts[u]!
    return { statistic: u1, pValue: Math.min(1, (2 * tail) / total), method: 'exact' }
  }
  const n = n1 + n2
  const tieTerm = ties.reduce((sum, t) => sum + (t ** 3 - t), 0) / (n * (n - 1))
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm))
  if (sigma === 0) return { statistic: u1, pValue: 1, method: 'normal approximation (no variation)' }
  const z = (big - (n1 * n2) / 2 - 0.5) / sigma
  return { statistic: u1, pValue: Math.min(1, 2 * normalSf(z)), method: 'normal approximation' }
}

/** Counts of arrangements giving each U, by the recurrence on the largest value's sample. */
function mannWhitneyCounts(n1: number, n2: number): number[] {
  const memo = new Map<string, number[]>()
  const count = (a: number, b: number): number[] => {
    if (a === 0 || b === 0) return [1]
    const key = `${a},${b}`
    const cached = memo.get(key)
    if (cached) return cached
    // The largest value is in x (it beats all b values of y) or in y (it adds nothing to U).
    const withX = count(a - 1, b)
    const withY = count(a, b - 1)
    const result = new Array<number>(a * b + 1).fill(0)
    withX.forEach((c, u) => (result[u + b]! += c))
    withY.forEach((c, u) => (result[u]! += c))
    memo.set(key, result)
    return result
  }
  return count(n1, n2)
}

/**
 * A spread that is rounding noise next to the mean difference: [.6,.7,.8] - [.5,.6,.7] has a
 * standard deviation of 6e-17 around 0.1, which would give t = 2.7e15. Such data carry no
 * information about variability, so the exact fallback decides.
 */
function negligibleSpread(variance: number, difference: number): boolean {
  return variance === 0 || Math.sqrt(variance) <= 1e-9 * Math.abs(difference)
}

export function differences(x: number[], y: number[]): number[] {
  finiteValues('x', x)
  finiteValues('y', y)
  if (x.length !== y.length) throw new RangeError(`Paired samples must have equal lengths, got ${x.length} and ${y.length}.`)
  return x.map((value, i) => value - y[i]!)
}
