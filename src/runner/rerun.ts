import { AssayError } from '../errors.js'
import type { CaseResult, RunResults } from '../results/types.js'

/** `--failed`: what did not pass; `--retry-errors`: what could not be judged; `--resume`: what never ran. */
export type RerunMode = 'failed' | 'errors' | 'resume'

/** Which cases a rerun runs again, and the earlier results it keeps for the rest. */
export interface Rerun {
  mode: RerunMode
  /** Run this case (all its variants and repeats) again? */
  selects(evalName: string, caseId: string): boolean
  /** The earlier results of an eval's cases that are not run again. */
  kept(evalName: string): CaseResult[]
}

const interrupted = (entry: CaseResult) => entry.samples.some((sample) => sample.status === 'error' && sample.error.code === 'ASSAY_INTERRUPTED')

export function planRerun(mode: RerunMode, previous: RunResults): Rerun {
  if (mode === 'resume' && !previous.interrupted) {
    throw new AssayError('ASSAY_USAGE', 'The last run was not interrupted, so there is nothing to resume.', { fix: 'Use --failed to rerun what failed, or run without --resume.' })
  }
  const byEval = new Map(previous.evals.map((result) => [result.name, result.cases]))
  // An --until-significant eval that reached its verdict left its other cases unrun on purpose.
  const settled = new Set(previous.evals.filter((result) => result.sequential !== undefined).map((result) => result.name))
  const again = (entry: CaseResult) => (mode === 'failed' ? entry.status !== 'pass' : mode === 'errors' ? entry.status === 'error' : interrupted(entry))
  return {
    mode,
    selects(evalName, caseId) {
      const earlier = byEval.get(evalName)?.filter((entry) => entry.id === caseId) ?? []
      // A case the last run never reached runs when resuming; for the others it is left alone.
      if (earlier.length === 0) return mode === 'resume' && !settled.has(evalName)
      return earlier.some(again)
    },
    kept(evalName) {
      const cases = byEval.get(evalName) ?? []
      const rerun = new Set(cases.filter(again).map((entry) => entry.id))
      return cases.filter((entry) => !rerun.has(entry.id))
    },
  }
}
