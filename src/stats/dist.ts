import { gammaln } from 'simple-statistics'
import { notNaN, positive } from './validate.js'

/**
 * Distribution functions the verdicts need and simple-statistics lacks (or gets wrong in the
 * tails: see ../shared/notes/statistics.md): the regularized incomplete beta and gamma
 * (continued fractions, Lentz), the normal and Student t distributions, and binomial tails.
 * Each is checked against scipy to 1e-9 relative in test/stats/reference.test.ts. A NaN argument
 * throws a RangeError; infinite z or t give the limits.
 */

const EPS = 1e-16
const TINY = 1e-300
const MAX_ITERATIONS = 10_000

/** ln Γ(x), from simple-statistics (Lanczos). */
export const lnGamma: (x: number) => number = gammaln

/** ln B(a, b). */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b)
}

/** Continued fraction for the incomplete beta (Numerical Recipes' betacf, modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const step = d * c
    h *= step
    if (Math.abs(step - 1) < EPS) break
  }
  return h
}

/** I_x(a, b) and 1 - I_x(a, b), each computed on the side where it keeps its relative accuracy. */
function betaBoth(x: number, a: number, b: number): [lower: number, upper: number] {
  if (x <= 0) return [0, 1]
  if (x >= 1) return [1, 0]
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lnBeta(a, b))
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (front * betaFraction(x, a, b)) / a
    return [lower, 1 - lower]
  }
  const upper = (front * betaFraction(1 - x, b, a)) / b
  return [1 - upper, upper]
}

/** The regularized incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  notNaN('x', x)
  positive('a', a)
  positive('b', b)
  return betaBoth(x, a, b)[0]
}

/** Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma. */
export function regularizedGammaUpper(a: number, x: number): number {
  if (x <= 0) return 1
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a))
  if (x < a + 1) {
    // Series for P(a, x), then Q = 1 - P (no cancellation: Q >= 0.08 here for a = 1/2).
    let sum = 1 / a
    let term = sum
    for (let n = 1; n <= MAX_ITERATIONS; n++) {
      term *= x / (a + n)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * EPS) break
    }
    return 1 - front * sum
  }
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const step = d * c
    h *= step
    if (Math.abs(step - 1) < EPS) break
  }
  return front * h
}

/** P(Z > z) for a standard normal Z, accurate far into the tail. */
export function normalSf(z: number): number {
  notNaN('z', z)
  const erfcOf = (x: number) => regularizedGammaUpper(0.5, x * x)
  return z >= 0 ? 0.5 * erfcOf(z / Math.SQRT2) : 1 - 0.5 * erfcOf(-z / Math.SQRT2)
}

export function normalCdf(z: number): number {
  return normalSf(-z)
}

/** The standard normal quantile: Wichura's AS 241 (PPND16), about 1e-16 relative. */
export function normalQuantile(p: number): number {
  notNaN('p', p)
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    )
  }
  let r = q < 0 ? p : 1 - p
  r = Math.sqrt(-Math.log(r))
  let value: number
  if (r <= 5) {
    r -= 1.6
    value =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1)
  } else {
    r -= 5
    value =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1)
  }
  return q < 0 ? -value : value
}

/** P(T > t) for Student's t with `df` degrees of freedom (any df > 0, not only whole numbers). */
export function tSf(t: number, df: number): number {
  notNaN('t', t)
  positive('df', df)
  if (!Number.isFinite(t)) return t > 0 ? 0 : 1
  const x = df / (df + t * t)
  const tail = 0.5 * regularizedBeta(x, df / 2, 0.5)
  return t >= 0 ? tail : 1 - tail
}

export function tCdf(t: number, df: number): number {
  return tSf(-t, df)
}

function tPdf(t: number, df: number): number {
  return Math.exp(lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df))
}

/** The t quantile: Newton's method on tCdf, kept inside a bisection bracket. */
export function tQuantile(p: number, df: number): number {
  notNaN('p', p)
  positive('df', df)
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  if (p === 0.5) return 0
  if (p < 0.5) return -tQuantile(1 - p, df)
  const tail = 1 - p
  let low = 0
  let high = Math.max(1, normalQuantile(p))
  while (tSf(high, df) > tail) high *= 2
  let t = Math.min(Math.max(normalQuantile(p), low), high)
  for (let i = 0; i < 200; i++) {
    const excess = tSf(t, df) - tail
    if (excess > 0) low = t
    else high = t
    const next = t + excess / tPdf(t, df)
    const candidate = next > low && next < high ? next : (low + high) / 2
    if (Math.abs(candidate - t) <= 1e-15 * Math.max(1, Math.abs(t))) return candidate
    t = candidate
  }
  return t
}

/** ln P(X = k) for X ~ Binomial(n, p). */
export function binomialLnPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return -Infinity
  if (p === 0) return k === 0 ? 0 : -Infinity
  if (p === 1) return k === n ? 0 : -Infinity
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)
}

/** P(X <= k) = I_{1-p}(n - k, k + 1). */
export function binomialCdf(k: number, n: number, p: number): number {
  notNaN('k', k)
  notNaN('n', n)
  notNaN('p', p)
  if (k < 0) return 0
  if (k >= n) return 1
  return regularizedBeta(1 - p, n - k, k + 1)
}

/** P(X >= k) = I_p(k, n - k + 1). */
export function binomialSfInclusive(k: number, n: number, p: number): number {
  notNaN('k', k)
  notNaN('n', n)
  notNaN('p', p)
  if (k <= 0) return 1
  if (k > n) return 0
  return regularizedBeta(p, k, n - k + 1)
}
