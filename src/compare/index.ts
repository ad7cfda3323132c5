import type { Comparison, SequentialOutcome } from '../results/types.js'
import type { MetricName } from '../results/words.js'
import { DEFAULT_PRIMARY_METRIC, metricsFor, valuesByCase, type ComparableCase } from './metrics.js'
import { ALPHA, comparePaired, decide, type Unadjusted } from './verdict.js'

/** What decides an eval's comparisons. */
export interface CompareSettings {
  /** @default 'pass rate' */
  primaryMetric?: MetricName | undefined
  /** The primary metric's margin, in its own units. @default the metric's own (10 points of pass rate) */
  minimumEffect?: number | undefined
  /** A sequential run's design and looks: the primary verdict is its test, at its alpha. */
  sequential?: SequentialOutcome | undefined
}

/**
 * Every variant against the baseline, on every metric the results carry, paired by case. The
 * primary metric is tested at alpha split over the variants (the alpha a sequential run spent);
 * the others are secondary, Holm-adjusted among themselves. Cases with an error under either
 * variant drop out of that pair.
 */
export function compareVariants(cases: ComparableCase[], variants: string[], baseline: string, settings: CompareSettings = {}): Comparison[] {
  const metrics = metricsFor(cases)
  const primaryMetric = settings.primaryMetric ?? DEFAULT_PRIMARY_METRIC
  const others = variants.filter((variant) => variant !== baseline)
  const sequential = settings.sequential
  const unadjusted: Unadjusted[] = []
  for (const variant of others) {
    for (const metric of metrics) {
      const before = valuesByCase(cases, baseline, metric)
      const after = valuesByCase(cases, variant, metric)
      const pairs = [...before.entries()].filter(([id]) => after.has(id)).map(([id, values]) => ({ baseline: values, variant: after.get(id)! }))
      if (pairs.length === 0) continue
      const primary = metric.name === primaryMetric
      const looks = primary && metric.binary ? sequential?.looks[variant] : undefined
      unadjusted.push(
        comparePaired(
          { baseline, variant, metric, pairs },
          primary
            ? {
                role: 'primary',
                alpha: ALPHA / others.length,
                minimumEffect: settings.minimumEffect,
                sequential: looks && looks.length > 0 && sequential ? { looks, spending: sequential.design.spending, horizon: sequential.design.horizon, batch: sequential.design.batch } : undefined,
              }
            : { role: 'secondary', alpha: ALPHA },
        ),
      )
    }
  }
  const stoppedEarly = sequential !== undefined && sequential.casesRun < sequential.design.horizon
  return decide(unadjusted, { alpha: ALPHA, stoppedEarly, variants: others.length })
}
