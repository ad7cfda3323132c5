import { percent } from '../results/format.js'
import type { Comparison } from '../results/types.js'
import type { MetricName } from '../results/words.js'

/** How a metric's numbers read: pass rate in points, latency in ms, tokens, scores as they are. */
function units(metric: MetricName): { unit: string; scale: number; digits: number } {
  if (metric === 'pass rate') return { unit: 'points', scale: 100, digits: 1 }
  if (metric === 'latency ms') return { unit: 'ms', scale: 1, digits: 0 }
  if (metric === 'completion tokens') return { unit: 'tokens', scale: 1, digits: 0 }
  return { unit: '', scale: 1, digits: 3 }
}

/** A metric's value as it reads: "pass rate 80%", "latency ms 812", "score: tone 0.812". */
export function metricValue(metric: MetricName, value: number): string {
  if (metric === 'pass rate') return `pass rate ${percent(value)}`
  const { digits } = units(metric)
  return `${metric} ${Number(value.toFixed(digits))}`
}

/**
 * The verdict in words. Every p printed sits next to the interval of the same test (they agree:
 * the interval excludes 0 exactly when p is below 1 - its level); an adjusted p is shown apart.
 */
export function sentence(c: Comparison, { secondaryCount, variants }: { secondaryCount: number; variants: number }): string {
  const { unit, scale, digits } = units(c.metric)
  const signed = (value: number) => `${value * scale >= 0 ? '+' : '-'}${Math.abs(value * scale).toFixed(digits)}`
  const plain = (value: number) => String(Number((value * scale).toFixed(digits)))
  const formatP = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`)
  const withUnit = (text: string) => `${text}${unit ? ` ${unit}` : ''}`
  const level = `${percent(c.interval.level)} CI [${signed(c.interval.low)}, ${signed(c.interval.high)}]`
  const margin = withUnit(`±${plain(c.minimumEffect)}`)
  const role = c.role === 'primary' ? 'primary metric' : 'secondary'
  if (c.verdict === 'descriptive') {
    return `descriptive (the run stopped early on its primary metric, so no test): ${withUnit(`${c.metric} ${signed(c.difference)}`)}, ${level}, n = ${c.n} paired cases`
  }
  let p = formatP(c.pValue)
  if (c.role === 'primary' && variants > 1) p += ` (Bonferroni over ${variants} variants: ${formatP(c.pAdjusted).replace('p', 'adjusted p')})`
  if (c.role === 'secondary' && secondaryCount > 1) p += ` (Holm over ${secondaryCount} secondary comparisons: ${formatP(c.pAdjusted).replace('p', 'adjusted p')})`
  const detail = `${withUnit(`${c.metric} ${signed(c.difference)}`)}, ${level}, ${p}, n = ${c.n} paired cases, ${c.test}; ${role}`
  if (c.verdict === 'equivalent') return `equivalent within ${margin}: ${detail}`
  if (c.verdict === 'inconclusive') {
    const effect = c.metric === 'pass rate' ? `${plain(c.minimumEffect)}-point` : withUnit(plain(c.minimumEffect))
    const why =
      c.moreCasesNeeded === undefined
        ? `the interval holds both 0 and differences beyond ${margin}`
        : `about ${c.moreCasesNeeded} more cases would give ${percent(c.powerWithMoreCases!)} power to detect a ${effect} difference`
    return `inconclusive — ${why} (${detail})`
  }
  return `${c.verdict}: ${detail}`
}
