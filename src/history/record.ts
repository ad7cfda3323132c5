import { z } from 'zod'
import { RECORD_MODES } from '../config/schema.js'
import type { CallRecord, CaseResult, EvalResult, RunResults } from '../results/types.js'

/** Bumped on a change a reader of older history files would misread; fields are only ever added. */
export const HISTORY_SCHEMA_VERSION = 1

/**
 * Every string a record holds is clipped to this many characters, so a line stays well under 4 KiB
 * (even with every character escaped) and one `appendFile` writes it in one piece.
 */
const MAX_FIELD = 120

const nullableNumber = z.number().nullable()

/** One eval (or one variant of it) in one run: a line of the history file. */
export const historyRecordSchema = z.object({
  schema: z.literal(HISTORY_SCHEMA_VERSION),
  /** Shared by every record of one run. */
  run: z.string(),
  /** When the run started (ISO 8601). */
  time: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO time'),
  git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable(),
  eval: z.string(),
  file: z.string(),
  variant: z.string().nullable(),
  /** `name@version`, or null for a task. */
  template: z.string().nullable(),
  model: z.string().nullable(),
  /** The named provider, `ollama` for the ollama settings, `unknown` when no call was made. */
  provider: z.string(),
  record: z.enum(RECORD_MODES),
  status: z.enum(['pass', 'fail']),
  cases: z.number(),
  passRate: z.number(),
  meanScore: nullableNumber,
  latencyP50: nullableNumber,
  latencyP95: nullableNumber,
  promptTokens: z.number(),
  completionTokens: z.number(),
  /** Failed tries before answers, over every call. */
  retries: z.number(),
  /** Cases that could not be judged. */
  errors: z.number(),
  cacheHits: z.number(),
  fixtureHits: z.number(),
})

export type HistoryRecord = z.infer<typeof historyRecordSchema>

/** Where and when a run happened, as the history needs it. */
export interface RunContext {
  run: string
  git: HistoryRecord['git']
}

/** The records of a run: one per eval, or one per variant of an eval with variants. */
export function historyRecords(results: RunResults, context: RunContext): HistoryRecord[] {
  return results.evals.flatMap((result) =>
    result.variants
      ? result.variants.map((variant) => record(results, context, result, variant.name, result.cases.filter((entry) => entry.variant === variant.name), variant))
      : [record(results, context, result, null, result.cases, result)],
  )
}

function record(
  results: RunResults,
  context: RunContext,
  result: EvalResult,
  variant: string | null,
  cases: CaseResult[],
  part: Pick<EvalResult, 'passRate' | 'model' | 'template' | 'counts' | 'metrics' | 'status'>,
): HistoryRecord {
  const calls = cases.flatMap((entry) => entry.samples.flatMap((sample) => sample.calls))
  return {
    schema: HISTORY_SCHEMA_VERSION,
    run: context.run,
    time: results.startedAt,
    git: context.git && { commit: clip(context.git.commit), dirty: context.git.dirty },
    eval: clip(result.name),
    file: clip(result.file),
    variant: variant === null ? null : clip(variant),
    template: part.template ? clip(`${part.template.name}@${part.template.version}`) : null,
    model: part.model === undefined ? null : clip(part.model),
    provider: providerOf(calls),
    record: results.record,
    status: part.status,
    cases: part.counts.cases,
    passRate: part.passRate,
    meanScore: part.metrics.meanScore ?? null,
    latencyP50: part.metrics.latencyP50 ?? null,
    latencyP95: part.metrics.latencyP95 ?? null,
    promptTokens: part.metrics.promptTokens,
    completionTokens: part.metrics.completionTokens,
    retries: calls.reduce((sum, call) => sum + call.retries, 0),
    errors: part.counts.errored,
    cacheHits: calls.filter((call) => call.source === 'cache').length,
    fixtureHits: calls.filter((call) => call.source === 'fixture').length,
  }
}

/** Where the answers came from: a named provider, `ollama` for the ollama settings, `unknown` when no call was made. */
function providerOf(calls: CallRecord[]): string {
  const answer = calls.find((call) => call.purpose === 'answer')
  return answer === undefined ? 'unknown' : clip(answer.provider ?? 'ollama')
}

function clip(text: string): string {
  return text.length <= MAX_FIELD ? text : `${text.slice(0, MAX_FIELD - 1)}…`
}
