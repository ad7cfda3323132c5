import { binomialCdf, binomialSfInclusive, normalQuantile, tQuantile, tSf } from './dist.js'
import { mean, sampleVariance } from './describe.js'
import { count, finiteNumber, finiteValues, probability } from './validate.js'

export interface Interval {
  estimate: number
  low: number
  high: number
  /** The standard error behind the interval, where there is one. */
  standardError: number
}

/** A t interval for the mean of values (e.g. paired differences); a point for fewer than two. */
export function meanInterval(values: number[], level = 0.95): Interval {
  finiteValues('values', values)
  probability('level', level, { open: true })
  const n = values.length
  const estimate = mean(values)
  if (n < 2) return { estimate, low: estimate, high: estimate, standardError: 0 }
  const standardError = Math.sqrt(sampleVariance(values) / n)
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * standardError
  return { estimate, low: estimate - half, high: estimate + half, standardError }
}

/** Wilson's score interval for a proportion k/n. */
export function wilsonInterval(k: number, n: number, level = 0.95): { low: number; high: number } {
  count('k', k)
  count('n', n)
  probability('level', level, { open: true })
  if (k > n) throw new RangeError(`k (${k}) cannot exceed n (${n}).`)
  if (n === 0) return { low: 0, high: 1 }
  const z = normalQuantile(1 - (1 - level) / 2)
  const p = k / n
  const denominator = 1 + (z * z) / n
  const centre = (p + (z * z) / (2 * n)) / denominator
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) }
}

/**
 * The Clopper-Pearson interval for a proportion k/n: the exact interval, dual to the two-sided
 * binomial test that doubles the smaller tail (at p = 1/2, scipy's binomtest).
 */
export function clopperPearsonInterval(k: number, n: number, level = 0.95): { low: number; high: number } {
  count('k', k)
  count('n', n)
  probability('level', level, { open: true })
  if (k > n) throw new RangeError(`k (${k}) cannot exceed n (${n}).`)
  const tail = (1 - level) / 2
  const low = k === 0 ? 0 : bisect((p) => binomialSfInclusive(k, n, p) - tail)
  const high = k === n ? 1 : bisect((p) => tail - binomialCdf(k, n, p))
  return { low, high }
}

/** The root in [0, 1] of an increasing function. */
function bisect(f: (x: number) => number): number {
  let low = 0
  let high = 1
  for (let i = 0; i < 200 && high - low > 1e-15; i++) {
    const middle = (low + high) / 2
    if (f(middle) < 0) low = middle
    else high = middle
  }
  return (low + high) / 2
}

/** A 2x2 table of paired pass/fail: a both pass, b only A passes, c only B passes, d both fail. */
export interface PairedTable {
  a: number
  b: number
  c: number
  d: number
}

/**
 * Newcombe's hybrid score interval (1998, method 10) for the difference of paired proportions,
 * B - A: Wilson intervals for each margin, combined with the correlation of the pairs.
 */
export function pairedProportionInterval({ a, b, c, d }: PairedTable, level = 0.95): Interval {
  for (const [name, value] of Object.entries({ a, b, c, d })) count(name, value)
  probability('level', level, { open: true })
  const n = a + b + c + d
  if (n === 0) return { estimate: 0, low: -1, high: 1, standardError: 0 }
  const pA = (a + b) / n
  const pB = (a + c) / n
  const A = wilsonInterval(a + b, n, level)
  const B = wilsonInterval(a + c, n, level)
  const product = (a + b) * (c + d) * (a + c) * (b + d)
  const phi = product === 0 ? 0 : (a * d - b * c) / Math.sqrt(product)
  const estimate = pB - pA
  const low = estimate - Math.sqrt(Math.max(0, (pB - B.low) ** 2 - 2 * phi * (pB - B.low) * (A.high - pA) + (A.high - pA) ** 2))
  const high = estimate + Math.sqrt(Math.max(0, (B.high - pB) ** 2 - 2 * phi * (B.high - pB) * (pA - A.low) + (pA - A.low) ** 2))
  const standardError = Math.sqrt(Math.max(0, b + c - (c - b) ** 2 / n)) / n
  return { estimate, low: Math.max(-1, low), high: Math.min(1, high), standardError }
}

/**
 * Clustered standard error of a mean over all items (Miller 2024, Eq. 4): repeats of one case are
 * not independent, so each case is a cluster. Equal to sqrt(sum_c (sum_i (s_ic - mean))^2) / n.
 */
export function clusteredStandardError(clusters: number[][]): number {
  clusters.forEach((cluster, i) => finiteValues(`clusters[${i}]`, cluster))
  const all = clusters.flat()
  const n = all.length
  if (n < 2) return 0
  const overall = mean(all)
  const sum = clusters.reduce((total, cluster) => total + cluster.reduce((s, value) => s + (value - overall), 0) ** 2, 0)
  return Math.sqrt(sum) / n
}

/**
 * Holm's step-down adjustment: adjusted p-values in the input order, monotone, capped at 1.
 * A p that is not a probability (NaN, or outside [0, 1]) comes back as NaN at its own index
 * only: it still counts as one of the m hypotheses, and the others are adjusted as if it were
 * 1, which is valid whatever its true value. It never turns the other answers into NaN.
 */
export function holm(pValues: number[]): number[] {
  const m = pValues.length
  const usable = (p: number) => p >= 0 && p <= 1
  const order = pValues.map((p, index) => ({ p: usable(p) ? p : 1, index })).sort((x, y) => x.p - y.p)
  const adjusted = new Array<number>(m)
  let running = 0
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p))
    adjusted[index] = usable(pValues[index]!) ? running : Number.NaN
  })
  return adjusted
}

export interface PowerOptions {
  /** Two-sided significance level. @default 0.05 */
  alpha?: number
  /** @default 0.8 */
  power?: number
}

/**
 * Cases needed to detect a paired mean difference `delta` given the standard deviation of the
 * paired differences (Miller 2024, Eq. 9 with one sample per case): ((z_a/2 + z_b) sd / delta)^2.
 */
export function pairedSampleSize(sdOfDifferences: number, delta: number, { alpha = 0.05, power = 0.8 }: PowerOptions = {}): number {
  finiteNumber('sdOfDifferences', sdOfDifferences)
  finiteNumber('delta', delta)
  probability('alpha', alpha, { open: true })
  probability('power', power, { open: true })
  if (delta === 0) return Infinity
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power)
  return Math.ceil(((z * sdOfDifferences) / delta) ** 2)
}

/**
 * Cases needed to detect a difference `delta` between paired proportions, given the share of
 * discordant pairs (Connor 1987): (z_a/2 sqrt(p) + z_b sqrt(p - delta^2))^2 / delta^2.
 */
export function pairedProportionSampleSize(discordantShare: number, delta: number, { alpha = 0.05, power = 0.8 }: PowerOptions = {}): number {
  probability('discordantShare', discordantShare)
  finiteNumber('delta', delta)
  probability('alpha', alpha, { open: true })
  probability('power', power, { open: true })
  if (delta === 0) return Infinity
  const p = Math.max(discordantShare, delta * delta + 1e-12, Math.abs(delta))
  return Math.ceil((normalQuantile(1 - alpha / 2) * Math.sqrt(p) + normalQuantile(power) * Math.sqrt(p - delta * delta)) ** 2 / (delta * delta))
}

export interface NonInferiority {
  /** One-sided p-value of H0: the new run is worse by at least the margin. */
  pValue: number
  nonInferior: boolean
  interval: Interval
}

/**
 * Non-inferiority of B against A on paired differences d = B - A (higher is better): H0 says
 * mean(d) <= -margin; a one-sided t-test rejects it when B is not worse by the margin or more.
 */
export function nonInferiority(d: number[], margin: number, alpha = 0.05): NonInferiority {
  finiteValues('d', d)
  finiteNumber('margin', margin)
  probability('alpha', alpha, { open: true })
  const interval = meanInterval(d, 1 - 2 * alpha)
  if (d.length < 2) return { pValue: 1, nonInferior: false, interval }
  const shifted = mean(d) + margin
  if (interval.standardError === 0) {
    const pValue = shifted > 0 ? 0 : 1
    return { pValue, nonInferior: pValue < alpha, interval }
  }
  const pValue = tSf(shifted / interval.standardError, d.length - 1)
  return { pValue, nonInferior: pValue < alpha, interval }
}

/**
 * The regression gate's test on paired differences d = new - baseline (higher is better):
 * H0 says mean(d) >= -margin; a one-sided t-test rejects it only when the new run is worse by
 * more than the margin with significance. The mirror image of nonInferiority.
 */
export function regressionBeyondMargin(d: number[], margin: number, alpha = 0.05): { pValue: number; regression: boolean } {
  finiteValues('d', d)
  finiteNumber('margin', margin)
  probability('alpha', alpha, { open: true })
  if (d.length < 2) return { pValue: 1, regression: false }
  const shifted = mean(d) + margin
  const standardError = Math.sqrt(sampleVariance(d) / d.length)
  const pValue = standardError === 0 ? (shifted < 0 ? 0 : 1) : 1 - tSf(shifted / standardError, d.length - 1)
  return { pValue, regression: pValue < alpha }
}
