import type { LoadedCase } from '../cases/load.js'
import type { CaseResult, CaseStatus, EvalResult, RunResults, RunSummary, SampleResult } from '../results/types.js'
import type { EvalPlan } from './plan.js'

export function caseResult(testCase: LoadedCase, samples: SampleResult[]): CaseResult {
  let status: CaseStatus = 'pass'
  if (samples.some((sample) => sample.status === 'error')) status = 'error'
  else if (samples.some((sample) => sample.status === 'fail')) status = 'fail'
  return {
    id: testCase.id,
    name: testCase.name,
    vars: testCase.vars,
    reference: testCase.reference,
    tags: testCase.tags,
    status,
    samples,
  }
}

export function evalResult(plan: EvalPlan, cases: CaseResult[], durationMs: number): EvalResult {
  const passed = cases.filter((entry) => entry.status === 'pass').length
  const errored = cases.filter((entry) => entry.status === 'error').length
  const passRate = cases.length === 0 ? 0 : passed / cases.length
  return {
    name: plan.name,
    file: plan.file,
    // A tolerance, so 0.8 of 5 cases (4/5 in floating point) is not read as just below 0.8.
    status: passRate + 1e-9 >= plan.threshold ? 'pass' : 'fail',
    threshold: plan.threshold,
    passRate,
    model: plan.spec.model,
    template: plan.template && { name: plan.template.name, version: plan.template.version, file: plan.template.file },
    repeat: plan.repeat,
    durationMs,
    counts: { cases: cases.length, passed, failed: cases.length - passed - errored, errored },
    cases,
  }
}

export function summarize(evals: EvalResult[]): RunSummary {
  const summary: RunSummary = {
    evals: { total: evals.length, passed: 0, failed: 0 },
    cases: { total: 0, passed: 0, failed: 0, errored: 0 },
    calls: { total: 0, fixture: 0, live: 0 },
  }
  for (const result of evals) {
    summary.evals[result.status === 'pass' ? 'passed' : 'failed']++
    summary.cases.total += result.counts.cases
    summary.cases.passed += result.counts.passed
    summary.cases.failed += result.counts.failed
    summary.cases.errored += result.counts.errored
    for (const entry of result.cases) {
      for (const sample of entry.samples) {
        for (const call of sample.calls) {
          summary.calls.total++
          summary.calls[call.source]++
        }
      }
    }
  }
  return summary
}

export function runStatus(evals: EvalResult[]): RunResults['status'] {
  return evals.every((result) => result.status === 'pass') ? 'pass' : 'fail'
}
