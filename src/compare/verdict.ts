import type { Comparison } from '../results/types.js'
import { mean, sampleVariance } from '../stats/describe.js'
import { holm, meanInterval, pairedProportionInterval, pairedProportionSampleSize, pairedSampleSize } from '../stats/intervals.js'
import { mcnemarExact, pairedTTest } from '../stats/tests.js'
import type { Metric } from './metrics.js'

export const ALPHA = 0.05

/** Paired values of one metric: per case, the baseline's samples and the variant's. */
export interface PairedValues {
  baseline: string
  variant: string
  metric: Metric
  pairs: { baseline: number[]; variant: number[] }[]
}

type Unadjusted = Omit<Comparison, 'pAdjusted' | 'verdict' | 'moreCasesNeeded' | 'sentence'> & { neededCases: number }

/**
 * The test and interval for one metric. Pass/fail with one sample per case: exact McNemar and
 * Newcombe's interval. Otherwise each case's mean over its repeats is one paired observation
 * (the case is the cluster, as Miller 2024 recommends) under a paired t-test and t interval.
 */
export function comparePaired({ baseline, variant, metric, pairs }: PairedValues): Unadjusted {
  const a = pairs.map((pair) => mean(pair.baseline))
  const b = pairs.map((pair) => mean(pair.variant))
  const d = b.map((value, i) => value - a[i]!)
  const n = pairs.length
  const baselineMean = mean(a)
  const minimumEffect = metric.minimumEffect(baselineMean)
  const sd = Math.sqrt(sampleVariance(d))
  const common = {
    baseline,
    variant,
    metric: metric.name,
    better: metric.better,
    n,
    baselineMean,
    variantMean: mean(b),
    difference: mean(d),
    effectSize: sd === 0 ? 0 : mean(d) / sd,
    minimumEffect,
  }
  const singleSamples = pairs.every((pair) => pair.baseline.length === 1 && pair.variant.length === 1)
  if (metric.binary && singleSamples) {
    const table = { a: 0, b: 0, c: 0, d: 0 }
    a.forEach((pass, i) => {
      if (pass === 1 && b[i] === 1) table.a++
      else if (pass === 1) table.b++
      else if (b[i] === 1) table.c++
      else table.d++
    })
    const interval = pairedProportionInterval(table)
    const discordantShare = n === 0 ? 0 : (table.b + table.c) / n
    return {
      ...common,
      interval: { low: interval.low, high: interval.high, level: 0.95 },
      pValue: mcnemarExact(table.b, table.c).pValue,
      test: 'exact McNemar',
      neededCases: pairedProportionSampleSize(Math.max(discordantShare, minimumEffect), minimumEffect),
    }
  }
  const interval = meanInterval(d)
  const test = pairedTTest(b, a)
  return {
    ...common,
    interval: { low: interval.low, high: interval.high, level: 0.95 },
    pValue: test.pValue,
    test: singleSamples ? `paired ${test.method}` : `paired ${test.method} on case means (clustered)`,
    neededCases: pairedSampleSize(Math.max(sd, minimumEffect), minimumEffect),
  }
}

/** Holm over all of an eval's comparisons, then a verdict in words for each. */
export function decide(comparisons: Unadjusted[]): Comparison[] {
  const adjusted = holm(comparisons.map((comparison) => comparison.pValue))
  return comparisons.map(({ neededCases, ...comparison }, i) => {
    const pAdjusted = adjusted[i]!
    const improves = comparison.better === 'higher' ? comparison.difference > 0 : comparison.difference < 0
    let verdict: Comparison['verdict'] = 'no significant difference'
    let moreCasesNeeded: number | undefined
    if (pAdjusted < ALPHA && comparison.difference !== 0) verdict = improves ? 'better' : 'worse'
    else if (neededCases > comparison.n) {
      verdict = 'inconclusive'
      moreCasesNeeded = neededCases - comparison.n
    }
    const full = { ...comparison, pAdjusted, verdict, moreCasesNeeded, sentence: '' }
    return { ...full, sentence: sentence(full, comparisons.length > 1) }
  })
}

function sentence(c: Comparison, adjusted: boolean): string {
  const unit = c.metric === 'pass rate' ? 'points' : c.metric === 'latency ms' ? 'ms' : c.metric === 'completion tokens' ? 'tokens' : ''
  const scale = c.metric === 'pass rate' ? 100 : 1
  const digits = c.metric === 'pass rate' ? 1 : unit === '' ? 3 : 0
  const signed = (value: number) => `${value * scale >= 0 ? '+' : '-'}${Math.abs(value * scale).toFixed(digits)}`
  const shown = adjusted ? c.pAdjusted : c.pValue
  const p = shown < 0.001 ? 'p < 0.001' : `p = ${shown.toFixed(3)}`
  const detail = `${c.metric} ${signed(c.difference)}${unit ? ` ${unit}` : ''}, 95% CI [${signed(c.interval.low)}, ${signed(c.interval.high)}], ${p}${adjusted ? ' (Holm)' : ''}, n = ${c.n} paired cases, ${c.test}`
  if (c.verdict === 'inconclusive') {
    const effect = c.metric === 'pass rate' ? `${(c.minimumEffect * 100).toFixed(0)}-point` : `${(c.minimumEffect * scale).toFixed(digits)}${unit === 'tokens' && c.minimumEffect === 1 ? ' token' : unit ? ` ${unit}` : ''}`
    return `inconclusive — about ${c.moreCasesNeeded} more cases needed to detect a ${effect} difference (${detail})`
  }
  return `${c.verdict}: ${detail}`
}
