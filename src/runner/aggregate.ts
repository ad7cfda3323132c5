import type { LoadedCase } from '../cases/load.js'
import type { RepeatGate } from '../discovery/spec.js'
import type { CaseResult, CaseStatus, Comparison, Counts, EvalResult, RunResults, RunSummary, SampleResult, TemplateRef, VariantResult } from '../results/types.js'
import { aggregates } from '../results/aggregates.js'
import { DEFAULT_PRIMARY_METRIC } from '../compare/metrics.js'
import { suggestions } from '../metrics/suggestions.js'
import { bestSetting } from '../compare/best.js'
import type { EvalPlan, VariantPlan } from './plan.js'
import { sharedRepeats } from './shared-values.js'

/**
 * A case's verdict from its samples: `error` if any could not be judged; otherwise the repeat
 * gate decides: every repeat passes (passAll, pass^N), any does (passAny, pass@k), or a share.
 */
export function caseResult(testCase: LoadedCase, variant: string | undefined, samples: SampleResult[], gate: RepeatGate = 'passAll'): CaseResult {
  const passed = samples.filter((sample) => sample.status === 'pass').length
  let status: CaseStatus
  if (samples.some((sample) => sample.status === 'error')) status = 'error'
  else if (gate === 'passAll') status = passed === samples.length ? 'pass' : 'fail'
  else if (gate === 'passAny') status = passed > 0 ? 'pass' : 'fail'
  else status = passed / samples.length + 1e-9 >= gate.passRate ? 'pass' : 'fail'
  return {
    id: testCase.id,
    variant,
    name: testCase.name,
    vars: testCase.vars,
    reference: testCase.reference,
    tags: testCase.tags,
    status,
    repeats: sharedRepeats(passed, samples.length),
    flaky: passed > 0 && passed < samples.filter((sample) => sample.status !== 'error').length,
    samples,
  }
}

function count(cases: CaseResult[]): Counts {
  const passed = cases.filter((entry) => entry.status === 'pass').length
  const errored = cases.filter((entry) => entry.status === 'error').length
  return { cases: cases.length, passed, failed: cases.length - passed - errored, errored }
}

/** Share of the cases that passed; 0 with no cases. */
const passShare = (counts: Counts) => (counts.cases === 0 ? 0 : counts.passed / counts.cases)

// A tolerance, so 0.8 of 5 cases (4/5 in floating point) is not read as just below 0.8.
const meets = (passRate: number, threshold: number) => passRate + 1e-9 >= threshold

const templateRef = (variant: VariantPlan): TemplateRef | undefined =>
  variant.template && { name: variant.template.name, version: variant.template.version, file: variant.template.file }

/** What an eval result is built from: its plan, or (merging shards) a partial result. */
export interface EvalShape {
  name: string
  file: string
  threshold: number
  repeat: number
  model: string | undefined
  template: TemplateRef | undefined
  /** Declared variants in order; undefined without variants. */
  variants: { name: string; model: string | undefined; template: TemplateRef | undefined }[] | undefined
  /** The metric whose verdict decides the comparisons, and its margin. */
  primary: EvalResult['primary']
  /** The swept option names, when the variants come from a sweep. */
  sweep?: string[]
  /** The variant the others are compared with (the first declared, or --baseline-variant). */
  baseline?: string
}

export function shapeOf(plan: EvalPlan): EvalShape {
  const first = plan.variants[0]!
  return {
    name: plan.name,
    file: plan.file,
    threshold: plan.threshold,
    repeat: plan.repeat,
    model: first.model,
    template: templateRef(first),
    variants: plan.spec.variants ? plan.variants.map((variant) => ({ name: variant.name!, model: variant.model, template: templateRef(variant) })) : undefined,
    primary: { metric: plan.spec.primaryMetric ?? DEFAULT_PRIMARY_METRIC, minimumEffect: plan.spec.minimumEffect },
    ...(plan.spec.sweep ? { sweep: Object.keys(plan.spec.sweep) } : {}),
  }
}

export function evalResult(shape: EvalShape, cases: CaseResult[], comparisons: Comparison[], durationMs: number): EvalResult {
  const counts = count(cases)
  const passRate = passShare(counts)
  const variants: VariantResult[] | undefined = shape.variants?.map((variant) => {
    const mine = cases.filter((entry) => entry.variant === variant.name)
    const own = count(mine)
    const rate = passShare(own)
    return { ...variant, status: meets(rate, shape.threshold) ? 'pass' : 'fail', passRate: rate, counts: own, metrics: aggregates(mine) }
  })
  const metrics = aggregates(cases)
  return {
    name: shape.name,
    file: shape.file,
    status: variants ? (variants.every((variant) => variant.status === 'pass') ? 'pass' : 'fail') : meets(passRate, shape.threshold) ? 'pass' : 'fail',
    threshold: shape.threshold,
    passRate,
    model: shape.model,
    template: shape.template,
    repeat: shape.repeat,
    durationMs,
    counts,
    metrics,
    suggestions: suggestions(metrics),
    variants,
    comparisons,
    primary: shape.primary,
    sequential: undefined,
    baseline: undefined,
    ...(shape.sweep && variants ? { sweep: { options: shape.sweep, best: bestSetting(variants, comparisons, cases, shape.primary.metric, shape.baseline) } } : {}),
    cases,
  }
}

export function summarize(evals: EvalResult[], kept: ReadonlySet<CaseResult> = new Set()): RunSummary {
  const summary: RunSummary = {
    evals: { total: evals.length, passed: 0, failed: 0 },
    cases: { total: 0, passed: 0, failed: 0, errored: 0 },
    calls: { total: 0, fixture: 0, cache: 0, live: 0 },
    usage: { live: { promptTokens: 0, completionTokens: 0, modelMs: 0 }, replayed: { promptTokens: 0, completionTokens: 0, modelMs: 0 } },
  }
  for (const result of evals) {
    summary.evals[result.status === 'pass' ? 'passed' : 'failed']++
    summary.cases.total += result.counts.cases
    summary.cases.passed += result.counts.passed
    summary.cases.failed += result.counts.failed
    summary.cases.errored += result.counts.errored
    for (const entry of result.cases) {
      if (kept.has(entry)) {
        summary.calls.kept = (summary.calls.kept ?? 0) + entry.samples.reduce((sum, sample) => sum + sample.calls.length, 0)
        continue
      }
      for (const sample of entry.samples) {
        for (const call of sample.calls) {
          summary.calls.total++
          summary.calls[call.source]++
          const usage = summary.usage[call.source === 'live' ? 'live' : 'replayed']
          usage.promptTokens += call.promptTokens ?? 0
          usage.completionTokens += call.completionTokens ?? 0
          usage.modelMs += call.latencyMs
        }
      }
    }
  }
  return summary
}

export function runStatus(evals: EvalResult[]): RunResults['status'] {
  return evals.every((result) => result.status === 'pass') ? 'pass' : 'fail'
}
