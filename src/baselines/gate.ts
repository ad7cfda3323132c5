import { compareRuns } from '../compare/runs.js'
import type { ComparableCase } from '../compare/metrics.js'
import type { BaselineCheck, EvalResult } from '../results/types.js'
import { mean } from '../stats/describe.js'
import { meanInterval, nonInferiority, regressionBeyondMargin } from '../stats/intervals.js'
import type { Baseline } from './store.js'

const passShare = (entry: ComparableCase) => {
  const judged = entry.samples.filter((sample) => sample.status !== 'error')
  return judged.length === 0 ? undefined : judged.filter((sample) => sample.status === 'pass').length / judged.length
}

/**
 * Sets a run against its saved baseline, variant by variant, paired by case. A regression is a
 * pass-rate drop beyond `margin` that a one-sided paired t-test finds significant; anything less
 * is reported, never failed on. Every metric is compared as for variants, for the report.
 */
export function checkAgainstBaseline(current: EvalResult, baseline: Baseline, margin: number): BaselineCheck[] {
  const before = baseline.cases
  const variants = [...new Set(current.cases.map((entry) => entry.variant))]
  return variants.map((variant) => {
    const now = current.cases.filter((entry) => entry.variant === variant)
    const then = new Map(before.filter((entry) => entry.variant === variant).map((entry) => [entry.id, entry]))
    const paired = now.filter((entry) => then.has(entry.id))
    const differences: number[] = []
    const baselineShares: number[] = []
    const flippedToFail: string[] = []
    const flippedToPass: string[] = []
    for (const entry of paired) {
      const old = then.get(entry.id)!
      const [a, b] = [passShare(old), passShare(entry)]
      if (a === undefined || b === undefined) continue
      differences.push(b - a)
      baselineShares.push(a)
      if (old.status === 'pass' && entry.status === 'fail') flippedToFail.push(entry.id)
      if (old.status === 'fail' && entry.status === 'pass') flippedToPass.push(entry.id)
    }
    const comparisons = compareRuns(before, now, ['baseline', 'current'])
    const test = regressionBeyondMargin(differences, margin)
    const shown = nonInferiority(differences, margin)
    const interval = meanInterval(differences)
    const check: Omit<BaselineCheck, 'sentence'> = {
      variant,
      margin,
      n: differences.length,
      baselinePassRate: mean(baselineShares),
      difference: mean(differences),
      interval: { low: interval.low, high: interval.high, level: 0.95 },
      pValue: test.pValue,
      regression: test.regression,
      nonInferior: shown.nonInferior,
      nonInferiorityP: shown.pValue,
      flippedToFail,
      flippedToPass,
      comparisons,
    }
    return { ...check, sentence: describeCheck(check) }
  })
}

function describeCheck(check: Omit<BaselineCheck, 'sentence'>): string {
  const points = (value: number) => `${value >= 0 ? '+' : '-'}${Math.abs(value * 100).toFixed(1)}`
  const figures = `pass rate ${points(check.difference)} points vs baseline, 95% CI [${points(check.interval.low)}, ${points(check.interval.high)}], n = ${check.n} paired cases, margin ${(check.margin * 100).toFixed(1)} points, p = ${check.pValue.toFixed(3)}`
  const flips = check.flippedToFail.length > 0 ? `; now failing: ${check.flippedToFail.join(', ')}` : ''
  const fixed = check.flippedToPass.length > 0 ? `; now passing: ${check.flippedToPass.join(', ')}` : ''
  const verdict = check.regression ? 'regression' : check.nonInferior ? 'not worse (non-inferior within the margin)' : 'no significant regression'
  return `${verdict}: ${figures}${flips}${fixed}`
}
