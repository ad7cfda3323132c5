import { seededRandom } from './random.js'
import { signTest, type TestResult } from './tests.js'
import { finiteValues, probability } from './validate.js'

/**
 * The symmetric bootstrap-t test of "the mean difference is 0", and the interval that inverts it.
 *
 * Why not the t-test: LLM scores are often skewed (most cases a little better, a few much worse),
 * and the paired t-test then rejects a true null too often at small n. With differences of
 * +0.05 w.p. 0.9 and -0.45 w.p. 0.1 plus N(0, 0.05^2) noise (mean 0), it rejects 9.4% at n = 30
 * (alpha 5%). Why not a sign-flip permutation test: it assumes differences symmetric about 0,
 * which skewed differences are not, and rejects 11.5% there. Resampling the studentized mean
 * (Hall 1992, the percentile-t) holds 5.2% (test/stats/robust.test.ts). The resamples are seeded,
 * so the same data give the same answer every run.
 */

export interface BootstrapOptions {
  /** Two-sided level of the test and 1 - the interval's coverage. @default 0.05 */
  alpha?: number
  /** @default 1999 */
  resamples?: number
  /** Uniform source in [0, 1). @default a mulberry32 seeded with 1 */
  random?: () => number
}

export interface BootstrapResult extends TestResult {
  /** Mean +- the bootstrap critical value times the standard error: excludes 0 exactly when p < alpha. */
  interval: { low: number; high: number }
}

export function bootstrapTTest(differences: number[], { alpha = 0.05, resamples = 1999, random = seededRandom(1) }: BootstrapOptions = {}): BootstrapResult {
  finiteValues('differences', differences)
  probability('alpha', alpha, { open: true })
  const n = differences.length
  const mean = differences.reduce((s, d) => s + d, 0) / n
  if (n < 2) return { statistic: 0, pValue: 1, method: 'too few pairs', interval: { low: mean, high: mean } }
  const se = standardError(differences, mean)
  if (se === 0 || se <= 1e-9 * Math.abs(mean)) {
    const sign = signTest(differences)
    return { ...sign, method: 'sign test (all differences equal)', interval: { low: Math.min(...differences), high: Math.max(...differences) } }
  }
  const t = mean / se
  const absolute = new Float64Array(resamples)
  const draw = new Float64Array(n)
  for (let r = 0; r < resamples; r++) {
    let sum = 0
    for (let i = 0; i < n; i++) {
      const value = differences[Math.floor(random() * n)]!
      draw[i] = value
      sum += value
    }
    const drawMean = sum / n
    const drawSe = standardError(draw, drawMean)
    absolute[r] = drawSe === 0 ? (drawMean === mean ? 0 : Infinity) : Math.abs(drawMean - mean) / drawSe
  }
  let atLeast = 0
  for (const value of absolute) if (value >= Math.abs(t)) atLeast++
  const pValue = (atLeast + 1) / (resamples + 1)
  // Reject when p < alpha, i.e. fewer than `allowed` resamples reach |t|: |t| above the
  // allowed-th largest |t*|. The interval uses that same value, so the two always agree.
  const allowed = Math.ceil(alpha * (resamples + 1)) - 1
  absolute.sort()
  const critical = allowed >= 1 ? absolute[resamples - allowed]! : Infinity
  const half = critical * se
  return { statistic: t, pValue, method: 'bootstrap-t', interval: { low: mean - half, high: mean + half } }
}

function standardError(values: ArrayLike<number>, mean: number): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += (values[i]! - mean) ** 2
  return Math.sqrt(sum / (values.length - 1) / values.length)
}
