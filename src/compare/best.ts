import type { BestSetting, Comparison, VariantResult } from '../results/types.js'
import { wilsonInterval } from '../stats/intervals.js'

/**
 * The sweep setting with the highest pass rate (then mean score, then declaration order), with the
 * 95% Wilson interval of its pass rate and its paired pass-rate comparison against the baseline
 * setting: the point estimate picks it, the interval and the verdict say how sure that is.
 */
export function bestSetting(variants: VariantResult[], comparisons: Comparison[]): BestSetting {
  const ranked = variants
    .map((variant, index) => ({ variant, index }))
    .sort((a, b) => b.variant.passRate - a.variant.passRate || (b.variant.metrics.meanScore ?? 0) - (a.variant.metrics.meanScore ?? 0) || a.index - b.index)
  const best = ranked[0]!.variant
  const { low, high } = wilsonInterval(best.counts.passed, best.counts.cases)
  const comparison = comparisons.find((entry) => entry.variant === best.name && entry.metric === 'pass rate')
  return {
    variant: best.name,
    passRate: best.passRate,
    interval: { low, high, level: 0.95 },
    n: best.counts.cases,
    comparison,
  }
}
