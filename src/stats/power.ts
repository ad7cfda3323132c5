import { binomialCdf, binomialLnPmf, binomialSfInclusive, normalCdf, normalQuantile, tQuantile } from './dist.js'
import { finiteNumber, positive, probability } from './validate.js'

/** A sample size and the power it actually delivers. */
export interface SampleSize {
  n: number
  power: number
}

export interface PowerTarget {
  /** Two-sided significance level. @default 0.05 */
  alpha?: number
  /** @default 0.8 */
  power?: number
}

/** The exact McNemar rejection region for m discordant pairs: reject when max(b, c) >= it. */
function mcnemarCritical(m: number, alpha: number, start: number): number {
  // 2 P(X >= u) for X ~ Bin(m, 1/2) falls as u rises; the smallest u above m/2 with it <= alpha.
  let u = Math.max(start, Math.floor(m / 2) + 1)
  while (u > Math.floor(m / 2) + 1 && 2 * binomialSfInclusive(u - 1, m, 0.5) <= alpha) u--
  while (u <= m && 2 * binomialSfInclusive(u, m, 0.5) > alpha) u++
  return u
}

/**
 * Exact power of the exact McNemar test with n paired cases, when a share `discordantShare` of
 * pairs is discordant and the variant's pass rate is higher by `delta`: a sum over the number
 * of discordant pairs m ~ Bin(n, share) of the conditional power under theta = 1/2 + delta/(2 share).
 */
export function mcnemarExactPower(n: number, discordantShare: number, delta: number, alpha = 0.05): number {
  probability('discordantShare', discordantShare)
  finiteNumber('delta', delta)
  probability('alpha', alpha, { open: true })
  if (Math.abs(delta) > discordantShare) throw new RangeError(`delta (${delta}) cannot exceed the discordant share (${discordantShare}).`)
  if (n === 0 || discordantShare === 0) return 0
  const theta = 0.5 + Math.abs(delta) / (2 * discordantShare)
  let power = 0
  let critical = 1
  for (let m = 1; m <= n; m++) {
    const weight = Math.exp(binomialLnPmf(m, n, discordantShare))
    critical = mcnemarCritical(m, alpha, critical)
    if (weight < 1e-16 || critical > m) continue
    power += weight * (binomialSfInclusive(critical, m, theta) + binomialCdf(m - critical, m, theta))
  }
  return Math.min(1, power)
}

/**
 * The smallest n (binary search; exact power is nearly monotone in n) at which the exact
 * McNemar test reaches the target power for a difference `delta` in pass rate, given the
 * discordant share. Connor's normal formula (pairedProportionSampleSize) undershoots it: at
 * 0.60 -> 0.70 with 31.6% discordant pairs it gives 246 cases, which deliver 77.8%; this gives 262.
 */
export function mcnemarSampleSize(discordantShare: number, delta: number, { alpha = 0.05, power = 0.8 }: PowerTarget = {}): SampleSize {
  probability('power', power, { open: true })
  if (delta === 0) return { n: Infinity, power: alpha }
  const share = Math.max(discordantShare, Math.abs(delta))
  let high = 8
  while (mcnemarExactPower(high, share, delta, alpha) < power) {
    high *= 2
    if (high > 1e7) return { n: Infinity, power: 0 }
  }
  let low = high / 2
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (mcnemarExactPower(middle, share, delta, alpha) >= power) high = middle
    else low = middle
  }
  return { n: high, power: mcnemarExactPower(high, share, delta, alpha) }
}

/**
 * Cases for a paired t-test to detect a mean difference `delta` when the differences have
 * standard deviation `sd`: the smallest n with Phi(sqrt(n) delta / sd - t_{1-alpha/2, n-1}) at
 * the target, the normal approximation to the noncentral t with the t critical value (it adds the
 * one or two cases Miller's z formula misses at small n). Checked by simulation in
 * `npm run bench:sequential`. The power returned is the formula's.
 */
export function meanSampleSize(sd: number, delta: number, { alpha = 0.05, power = 0.8 }: PowerTarget = {}): SampleSize {
  finiteNumber('sd', sd)
  finiteNumber('delta', delta)
  probability('alpha', alpha, { open: true })
  probability('power', power, { open: true })
  if (delta === 0) return { n: Infinity, power: alpha }
  if (sd === 0) return { n: 2, power: 1 }
  positive('sd', sd)
  const effect = Math.abs(delta) / sd
  const at = (n: number) => normalCdf(Math.sqrt(n) * effect - tQuantile(1 - alpha / 2, n - 1))
  let n = Math.max(2, Math.ceil(((normalQuantile(1 - alpha / 2) + normalQuantile(power)) / effect) ** 2))
  while (at(n) < power) n++
  return { n, power: at(n) }
}
