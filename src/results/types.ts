import type { AssertionKind } from '../assertions/types.js'
import type { RecordMode } from '../config/schema.js'
import type { CallSource } from '../fixtures/recorder.js'

/** Bumped on any change that could break a reader of results.json; docs/results-schema.md. */
export const RESULTS_SCHEMA_VERSION = 1

export type Status = 'pass' | 'fail'
export type CaseStatus = 'pass' | 'fail' | 'error'

export interface AssertionOutcome {
  kind: AssertionKind
  /** A label such as `length 1000..5000 chars`. */
  name: string
  pass: boolean
  score: number
  reason: string
  weight: number
  /** Scored and shown, never fails the sample. */
  advisory: boolean
}

/** One model call of a sample, with its figures (replayed calls carry the recorded ones). */
export interface CallRecord {
  /** `answer`: the eval's own call (one per attempt); `judge`: an assert.judge() call. */
  purpose: 'answer' | 'judge'
  key: string
  source: CallSource
  fixture: string | undefined
  model: string
  latencyMs: number
  firstTokenMs: number | undefined
  promptTokens: number | undefined
  completionTokens: number | undefined
  /** Why the streamed answer was stopped early, when it was. */
  cutShort: string | undefined
}

interface SampleBase {
  /** 0-based repeat index. */
  index: number
  /** The rendered prompt, for template evals; `examples` few-shot pairs went before it. */
  prompt: { system: string; user: string; examples: number } | undefined
  calls: CallRecord[]
  /** Answers asked for: 1, plus one per retryOnFail re-ask. */
  attempts: number
  /** Why the final answer was stopped early (stream: 'abort-on-fail'), when it was. */
  cutShort: string | undefined
  durationMs: number
}

export interface JudgedSample extends SampleBase {
  status: 'pass' | 'fail'
  output: string
  /** Weighted mean assertion score in 0..1; 1 when there are no assertions. */
  score: number
  assertions: AssertionOutcome[]
}

export interface ErroredSample extends SampleBase {
  status: 'error'
  output: string | undefined
  error: SampleError
}

/** Why a sample could not be judged; `fix` is the next step when assay knows it. */
export interface SampleError {
  code: string | undefined
  message: string
  file: string | undefined
  fix: string | undefined
}

export type SampleResult = JudgedSample | ErroredSample

export interface CaseResult {
  id: string
  name: string | undefined
  vars: Record<string, unknown>
  reference: string | undefined
  tags: string[] | undefined
  /** `error` if any sample errored, else `pass` if every sample passed, else `fail`. */
  status: CaseStatus
  samples: SampleResult[]
}

export interface EvalResult {
  name: string
  file: string
  status: Status
  /** Share of cases that must pass. */
  threshold: number
  /** Share of cases that passed. */
  passRate: number
  model: string | undefined
  template: { name: string; version: string; file: string } | undefined
  repeat: number
  durationMs: number
  counts: { cases: number; passed: number; failed: number; errored: number }
  cases: CaseResult[]
}

export interface RunSummary {
  evals: { total: number; passed: number; failed: number }
  cases: { total: number; passed: number; failed: number; errored: number }
  calls: { total: number; fixture: number; live: number }
}

/** The whole of `reports/results.json`. */
export interface RunResults {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION
  assayVersion: string
  status: Status
  startedAt: string
  durationMs: number
  record: RecordMode
  summary: RunSummary
  evals: EvalResult[]
}
