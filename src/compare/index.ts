import type { Comparison } from '../results/types.js'
import { metricsFor, valuesByCase, type ComparableCase } from './metrics.js'
import { comparePaired, decide } from './verdict.js'

/**
 * Every variant against the baseline, on every metric the results carry, paired by case; Holm
 * across all of them. Cases with an error under either variant drop out of that pair.
 */
export function compareVariants(
  cases: ComparableCase[],
  variants: string[],
  baseline: string,
  /** Pass-rate p-values to use instead of the fixed-n test's, per variant (sequential runs). */
  passRateOverrides: Map<string, { pValue: number; test: string }> = new Map(),
): Comparison[] {
  const metrics = metricsFor(cases)
  const unadjusted = []
  for (const variant of variants) {
    if (variant === baseline) continue
    for (const metric of metrics) {
      const before = valuesByCase(cases, baseline, metric)
      const after = valuesByCase(cases, variant, metric)
      const pairs = [...before.entries()].filter(([id]) => after.has(id)).map(([id, values]) => ({ baseline: values, variant: after.get(id)! }))
      if (pairs.length === 0) continue
      const comparison = comparePaired({ baseline, variant, metric, pairs })
      const override = metric.name === 'pass rate' ? passRateOverrides.get(variant) : undefined
      unadjusted.push(override ? { ...comparison, ...override } : comparison)
    }
  }
  return decide(unadjusted)
}
