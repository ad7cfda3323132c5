import type { ChunkWriter } from '../atomic-write.js'
import type { CaseResult, RunResults } from '../results/types.js'
import { writeCases } from './cases.js'
import { SpooledFileReporter, type CaseSpool } from './spool.js'
import type { EvalRef } from './types.js'

/** One line of `metrics.jsonl`: one model call. */
export interface CallMetric {
  eval: string
  variant: string | null
  case: string
  sample: number
  purpose: 'answer' | 'judge' | 'embedding'
  /** The named provider; null for the `ollama` settings. */
  provider: string | null
  model: string
  latencyMs: number
  firstTokenMs: number | null
  promptTokens: number | null
  completionTokens: number | null
  retries: number
  /** Where the answer came from: fixture, cache or live. */
  source: string
  /** The sample's verdict: pass, fail or error. */
  status: string
  error: string | null
}

/** Writes `metrics.jsonl`, a line per call, for analysis outside assay (pandas, jq, DuckDB). */
export class MetricsReporter extends SpooledFileReporter {
  constructor(file: string) {
    // Lines of cases that ended while calls were in flight are rendered then (spool.ts).
    super(file, caseLines, writeMetrics)
  }
}

/** Every call's line, eval by eval; `spool`'s text where it has the cases'. */
export async function writeMetrics(results: RunResults, write: ChunkWriter, spool?: CaseSpool): Promise<void> {
  for (const result of results.evals) await writeCases(result, result.cases, write, caseLines, spool)
}

/** A case's lines: one per call of each of its samples. */
function caseLines(entry: CaseResult, _index: number, evalRef: EvalRef): string {
  let lines = ''
  for (const sample of entry.samples) {
    for (const call of sample.calls) {
      const line: CallMetric = {
        eval: evalRef.name,
        variant: entry.variant ?? null,
        case: entry.id,
        sample: sample.index,
        purpose: call.purpose,
        provider: call.provider ?? null,
        model: call.model,
        latencyMs: call.latencyMs,
        firstTokenMs: call.firstTokenMs ?? null,
        promptTokens: call.promptTokens ?? null,
        completionTokens: call.completionTokens ?? null,
        retries: call.retries,
        source: call.source,
        status: sample.status,
        error: sample.status === 'error' ? (sample.error.code ?? sample.error.message) : null,
      }
      lines += `${JSON.stringify(line)}\n`
    }
  }
  return lines
}
