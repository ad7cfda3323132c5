import type { GitLookup } from '../git.js'
import type { RecordMode } from '../results/words.js'
import type { CaseResult, EvalResult, RunResults } from '../results/types.js'
import type { EvalRef } from './cases.js'

export interface RunStart {
  evals: number
  cases: number
  samples: number
  record: RecordMode
  /** One line each, before anything runs. */
  warnings: string[]
  /** Live figures, for progress displays. */
  activity: { callsInFlight(): number }
}

// Defined beside writeCases, which the page's data module (type-checked without Node's types) uses.
export type { EvalRef }

/** What the run shares with reporters once it is under way. */
export interface RunPreparation {
  /** The run's git lookups (each made once, shared with the history). */
  git: GitLookup
}

/** A reporter reads results as they arrive; every hook is optional. */
export interface Reporter {
  onRunStart?(start: RunStart): void
  /**
   * The run is under way (its first sample is done): start what onRunEnd will wait for and the
   * results do not decide (loading modules, asking git), so it overlaps the model calls.
   */
  prepare?(run: RunPreparation): void
  onCaseEnd?(evalName: string, result: CaseResult): void
  /**
   * Cases that have ended, each once every case before it in its eval (plan order) has: what a
   * report file can render ahead, in the order it writes them. Calls in flight are `activity`'s.
   */
  onCasesInOrder?(evalRef: EvalRef, results: readonly CaseResult[]): void
  onEvalEnd?(result: EvalResult): void
  onRunEnd?(results: RunResults): void | Promise<void>
}
