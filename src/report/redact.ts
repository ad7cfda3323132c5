import type { Redactor } from '../output/index.js'
import type { CaseResult, EvalResult, RunResults } from '../results/types.js'
import type { EvalRef, Reporter, RunPreparation, RunStart } from './types.js'

/**
 * Every reporter behind one that hands them redacted results, so no report file, console line or
 * annotation can hold a configured secret. The run itself (assertions, verdicts, what `run` returns)
 * keeps the real text. Each case is redacted once, however many reporters read it.
 */
export function redactReporters(reporters: Reporter[], redactor: Redactor): Reporter[] {
  if (!redactor.active || reporters.length === 0) return reporters
  const redacted = new WeakMap<CaseResult, CaseResult>()
  const redactCase = (entry: CaseResult) => {
    let out = redacted.get(entry)
    if (!out) redacted.set(entry, (out = redactCaseResult(entry, redactor)))
    return out
  }
  const redactEval = (result: EvalResult): EvalResult => ({ ...redactor.value({ ...result, cases: [] }), cases: result.cases.map(redactCase) })
  return [
    {
      onRunStart(start: RunStart) {
        const safe = { ...start, warnings: start.warnings.map((warning) => redactor.text(warning)) }
        for (const reporter of reporters) reporter.onRunStart?.(safe)
      },
      prepare(run: RunPreparation) {
        for (const reporter of reporters) reporter.prepare?.(run)
      },
      onCaseEnd(evalName: string, result: CaseResult) {
        const [name, entry] = [redactor.text(evalName), redactCase(result)]
        for (const reporter of reporters) reporter.onCaseEnd?.(name, entry)
      },
      onCasesInOrder(evalRef: EvalRef, results: readonly CaseResult[]) {
        const safe = { name: redactor.text(evalRef.name), file: redactor.text(evalRef.file) }
        const entries = results.map(redactCase)
        for (const reporter of reporters) reporter.onCasesInOrder?.(safe, entries)
      },
      onEvalEnd(result: EvalResult) {
        const safe = redactEval(result)
        for (const reporter of reporters) reporter.onEvalEnd?.(safe)
      },
      async onRunEnd(results: RunResults) {
        const safe = redactRunResults(results, redactor, redactEval)
        await endReports(reporters, safe)
      },
    },
  ]
}

/**
 * Every reporter's end side by side (one report's disk writes overlap another's rendering), settled
 * before it returns: a report that fails does not keep the others unwritten, nor end the command
 * while they are still being written (bin/assay.js exits once the command returns, which would
 * leave their temporary files behind). Then the first failure is thrown.
 */
export async function endReports(reporters: readonly Reporter[], results: RunResults): Promise<void> {
  const ended = await Promise.allSettled(reporters.map((reporter) => reporter.onRunEnd?.(results)))
  const failed = ended.find((outcome) => outcome.status === 'rejected')
  if (failed) throw failed.reason
}

/** A run's results as they may be written: every string redacted but the ones assay derived (timestamps, keys, fixture paths). */
export function redactRunResults(results: RunResults, redactor: Redactor, redactEval = (result: EvalResult) => ({ ...redactor.value({ ...result, cases: [] }), cases: result.cases.map((entry) => redactCaseResult(entry, redactor)) })): RunResults {
  if (!redactor.active) return results
  return { ...redactor.value({ ...results, evals: [] }), startedAt: results.startedAt, evals: results.evals.map(redactEval) }
}

/**
 * One case: vars, prompts, answers, reasons and errors redacted; each call's fixture key and path
 * kept, as `fixtures prune` reads them. A case with nothing to redact is given back as it is (no
 * copy: the reports read it, and every case is kept to the end of the run).
 */
export function redactCaseResult(entry: CaseResult, redactor: Redactor): CaseResult {
  const safe = redactor.view(entry)
  if (safe === entry) return entry
  return {
    ...safe,
    samples: safe.samples.map((sample, i) => {
      const real = entry.samples[i]!
      if (sample === real) return sample
      return { ...sample, calls: sample.calls.map((call, j) => (call === real.calls[j] ? call : { ...call, key: real.calls[j]!.key, fixture: real.calls[j]!.fixture })) }
    }),
  }
}
