import type { BestSetting, CaseResult, Comparison, VariantResult } from '../results/types.js'
import { percent } from '../results/format.js'
import type { MetricName } from '../results/words.js'
import { mean } from '../stats/describe.js'
import { wilsonInterval } from '../stats/intervals.js'
import { metricsFor, valuesByCase } from './metrics.js'
import { metricValue } from './sentence.js'

/**
 * The sweep setting that does best on the eval's primary metric (pass rate unless it names
 * another): the highest mean, or the lowest for latency and tokens; ties go to pass rate, then mean
 * score, then declaration order. It comes with its pass rate's 95% Wilson interval and its paired
 * primary-metric comparison against the baseline setting: the point estimate picks it, the
 * interval and the verdict say how sure that is, and the sentence says all of it in one place.
 */
export function bestSetting(variants: VariantResult[], comparisons: Comparison[], cases: CaseResult[], primary: MetricName, baseline: string | undefined): BestSetting {
  // A primary score no case was scored on (every case errored) leaves pass rate to pick, and to name.
  const metric = primary === 'pass rate' ? undefined : metricsFor(cases).find((entry) => entry.name === primary)
  const on: MetricName = metric ? primary : 'pass rate'
  const means = new Map(
    variants.map((variant) => {
      if (!metric) return [variant.name, variant.passRate]
      const perCase = [...valuesByCase(cases, variant.name, metric).values()].map(mean)
      return [variant.name, perCase.length === 0 ? Number.NaN : mean(perCase)]
    }),
  )
  // A setting with no value for the metric (every case errored) cannot be best on it.
  const score = (variant: VariantResult) => {
    const value = means.get(variant.name)!
    if (Number.isNaN(value)) return Number.NEGATIVE_INFINITY
    return metric?.better === 'lower' ? -value : value
  }
  const ranked = variants
    .map((variant, index) => ({ variant, index }))
    .sort((a, b) => score(b.variant) - score(a.variant) || b.variant.passRate - a.variant.passRate || (b.variant.metrics.meanScore ?? 0) - (a.variant.metrics.meanScore ?? 0) || a.index - b.index)
  const best = ranked[0]!.variant
  const { low, high } = wilsonInterval(best.counts.passed, best.counts.cases)
  const comparison = comparisons.find((entry) => entry.variant === best.name && entry.metric === on)
  const setting = {
    variant: best.name,
    metric: on,
    value: means.get(best.name)!,
    passRate: best.passRate,
    interval: { low, high, level: 0.95 },
    n: best.counts.cases,
    comparison,
  }
  return { ...setting, sentence: bestSentence(setting, baseline, metric?.better ?? 'higher') }
}

function bestSentence(best: Omit<BestSetting, 'sentence'>, baseline: string | undefined, better: 'higher' | 'lower'): string {
  const pass = `pass rate ${percent(best.passRate)} (95% CI ${percent(best.interval.low)} to ${percent(best.interval.high)}, n = ${best.n})`
  const figures = best.metric === 'pass rate' ? pass : `${metricValue(best.metric, best.value)} (the primary metric, mean over its cases); ${pass}`
  const against = best.comparison
    ? `; against ${best.comparison.baseline}: ${best.comparison.sentence}`
    : best.variant === baseline
      ? `; it is the baseline setting, and no other setting had a ${better} ${best.metric}`
      : '; no paired comparison with the baseline setting was possible'
  return `${best.variant}, ${figures}${against}`
}
