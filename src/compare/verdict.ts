import type { Comparison, SequentialLook } from '../results/types.js'
import { mean, sampleVariance } from '../stats/describe.js'
import { bootstrapTTest } from '../stats/bootstrap.js'
import { discordantGroupSequential, type Spending } from '../stats/group-sequential.js'
import { clopperPearsonInterval, holm, meanInterval } from '../stats/intervals.js'
import { mcnemarSampleSize, meanSampleSize, type SampleSize } from '../stats/power.js'
import { pairedTTest } from '../stats/tests.js'
import type { Metric } from './metrics.js'
import { sentence } from './sentence.js'

export const ALPHA = 0.05

/**
 * From this many paired cases the t-test decides score comparisons; below it the bootstrap-t.
 * With the skewed differences of test/stats/robust.test.ts the t-test rejects a true null 9.4%
 * at n = 30 (alpha 5%) and 5.2% at n = 500, where it takes over.
 */
export const T_TEST_FROM = 500

/** Paired values of one metric: per case, the baseline's samples and the variant's. */
export interface PairedValues {
  baseline: string
  variant: string
  metric: Metric
  pairs: { baseline: number[]; variant: number[] }[]
}

/** How one comparison is to be tested. */
export interface TestPlan {
  role: Comparison['role']
  /** Two-sided level of the test; the interval's coverage is 1 - alpha. */
  alpha: number
  /** The margin for `equivalent` and the effect of the power statement. @default the metric's */
  minimumEffect?: number | undefined
  /** A sequential run's looks for this variant (primary pass rate only). */
  sequential?: { looks: SequentialLook[]; spending: Spending; horizon: number; batch: number } | undefined
}

/** A comparison before adjustment; `needed` is computed only for an inconclusive verdict (an exact power search is not free). */
export type Unadjusted = Omit<Comparison, 'pAdjusted' | 'verdict' | 'moreCasesNeeded' | 'powerWithMoreCases' | 'sentence'> & { needed: () => SampleSize }

/**
 * The test and interval for one metric; the interval always comes from the same test, so it
 * excludes 0 exactly when p < alpha. Pass rate: exact McNemar on the case verdicts, or its
 * group-sequential form after `--until-significant`, with the interval from inverting it. Other
 * metrics: each case's mean over its repeats is one paired observation (the case is the cluster,
 * as Miller 2024 recommends), under the bootstrap-t below T_TEST_FROM cases and the t-test above.
 */
export function comparePaired({ baseline, variant, metric, pairs }: PairedValues, plan: TestPlan): Unadjusted {
  const a = pairs.map((pair) => mean(pair.baseline))
  const b = pairs.map((pair) => mean(pair.variant))
  const d = b.map((value, i) => value - a[i]!)
  const n = pairs.length
  const baselineMean = mean(a)
  const minimumEffect = plan.minimumEffect ?? metric.minimumEffect(baselineMean)
  const sd = Math.sqrt(sampleVariance(d))
  const common = { baseline, variant, metric: metric.name, role: plan.role, better: metric.better, baselineMean, minimumEffect }
  const level = 1 - plan.alpha
  if (metric.binary) {
    const wins = d.filter((value) => value > 0).length
    const losses = d.filter((value) => value < 0).length
    const baselinePasses = a.filter((value) => value === 1).length
    const looks = plan.sequential?.looks ?? [{ cases: n, pairs: n, baselinePasses, discordant: wins + losses, variantWins: wins, boundary: 0 }]
    const horizon = plan.sequential?.horizon ?? n
    const result = discordantGroupSequential(looks, { alpha: plan.alpha, spending: plan.sequential?.spending ?? 'pocock', horizon: Math.max(1, horizon) })
    const at = looks[result.look]!
    const share = at.pairs === 0 ? 0 : at.discordant / at.pairs
    const difference = at.pairs === 0 ? 0 : (2 * at.variantWins - at.discordant) / at.pairs
    const before = at.pairs === 0 ? 0 : at.baselinePasses / at.pairs
    const spread = at.pairs < 2 ? 0 : Math.sqrt((at.discordant - at.pairs * difference ** 2) / (at.pairs - 1))
    const test = plan.sequential
      ? `group-sequential exact McNemar (${plan.sequential.spending === 'pocock' ? 'Pocock' : "O'Brien-Fleming"}-type spending, look ${result.look + 1} of at most ${Math.ceil(horizon / plan.sequential.batch)})`
      : 'exact McNemar'
    return {
      ...common,
      n: at.pairs,
      baselineMean: before,
      variantMean: before + difference,
      difference,
      effectSize: spread === 0 ? 0 : difference / spread,
      interval: { ...passRateInterval(result.theta, at, level), level },
      pValue: result.pValue,
      test,
      needed: () => mcnemarSampleSize(Math.min(1, Math.max(share, minimumEffect)), Math.min(1, minimumEffect), { alpha: plan.alpha }),
    }
  }
  const fixed = {
    ...common,
    n,
    variantMean: mean(b),
    difference: mean(d),
    effectSize: sd === 0 ? 0 : mean(d) / sd,
    needed: () => meanSampleSize(Math.max(sd, minimumEffect), minimumEffect, { alpha: plan.alpha }),
  }
  const clustered = pairs.every((pair) => pair.baseline.length === 1 && pair.variant.length === 1) ? '' : ' on case means (clustered)'
  if (n < T_TEST_FROM) {
    const test = bootstrapTTest(d, { alpha: plan.alpha })
    return { ...fixed, interval: { ...agreeing(test.interval, test.pValue, plan.alpha), level }, pValue: test.pValue, test: `paired ${test.method}${clustered}` }
  }
  const test = pairedTTest(b, a)
  const interval = meanInterval(d, level)
  return { ...fixed, interval: { ...agreeing(interval, test.pValue, plan.alpha), level }, pValue: test.pValue, test: `paired ${test.method}${clustered}` }
}

/**
 * The pass-rate difference is s (2 theta - 1), s the discordant share and theta the chance the
 * variant wins a discordant pair. Theta's interval comes from the test, so the difference's
 * excludes 0 exactly when theta's excludes 1/2. The bound on the far side of 0 uses the upper
 * Clopper-Pearson bound of s (no discordant pairs in 100 cases still allows a few points either
 * way, so "equivalent" is not claimed from silence); the bound nearer 0 uses the observed s.
 * Coverage is checked by simulation in test/compare/verdict.test.ts.
 */
function passRateInterval(theta: { low: number; high: number }, at: SequentialLook, level: number): { low: number; high: number } {
  if (at.pairs === 0) return { low: -1, high: 1 }
  const observed = at.discordant / at.pairs
  const upper = clopperPearsonInterval(at.discordant, at.pairs, level).high
  const low = 2 * theta.low - 1
  const high = 2 * theta.high - 1
  return { low: low >= 0 ? observed * low : upper * low, high: high >= 0 ? upper * high : observed * high }
}

/** A degenerate interval (every difference equal) widened to hold 0 when the test did not reject. */
function agreeing(interval: { low: number; high: number }, pValue: number, alpha: number): { low: number; high: number } {
  if (pValue < alpha) return { low: interval.low, high: interval.high }
  return { low: Math.min(interval.low, 0), high: Math.max(interval.high, 0) }
}

/**
 * Verdicts in words. The primary comparisons are already at their own alpha (split over the
 * variants): p is adjusted by Bonferroni for the report. Secondary comparisons are Holm-adjusted
 * among themselves; after a sequential run stopped early they are descriptive only.
 */
export function decide(comparisons: Unadjusted[], { alpha = ALPHA, stoppedEarly = false, variants = 1 } = {}): Comparison[] {
  const secondary = comparisons.filter((comparison) => comparison.role === 'secondary')
  const holmAdjusted = new Map(holm(secondary.map((comparison) => comparison.pValue)).map((p, i) => [secondary[i]!, p]))
  return comparisons.map((comparison) => {
    const { needed, ...rest } = comparison
    const primary = comparison.role === 'primary'
    const pAdjusted = primary ? Math.min(1, comparison.pValue * variants) : holmAdjusted.get(comparison)!
    const improves = comparison.better === 'higher' ? comparison.difference > 0 : comparison.difference < 0
    const margin = comparison.minimumEffect
    let verdict: Comparison['verdict']
    let moreCasesNeeded: number | undefined
    let powerWithMoreCases: number | undefined
    if (!primary && stoppedEarly) verdict = 'descriptive'
    else if (pAdjusted < alpha && comparison.difference !== 0) verdict = improves ? 'better' : 'worse'
    else if (comparison.interval.low > -margin && comparison.interval.high < margin) verdict = 'equivalent'
    else {
      verdict = 'inconclusive'
      const { n, power } = needed()
      if (n > comparison.n && Number.isFinite(n)) {
        moreCasesNeeded = n - comparison.n
        powerWithMoreCases = power
      }
    }
    const full: Comparison = { ...rest, pAdjusted, verdict, moreCasesNeeded, powerWithMoreCases, sentence: '' }
    return { ...full, sentence: sentence(full, { secondaryCount: secondary.length, variants }) }
  })
}
