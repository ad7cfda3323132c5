import { writeFileStreamed, type ChunkWriter } from '../atomic-write.js'
import type { RunResults } from '../results/types.js'
import type { Reporter } from './types.js'

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
export class MetricsReporter implements Reporter {
  constructor(private readonly file: string) {}

  async onRunEnd(results: RunResults): Promise<void> {
    await writeFileStreamed(this.file, (write) => this.writeLines(results, write))
  }

  private async writeLines(results: RunResults, write: ChunkWriter): Promise<void> {
    for (const result of results.evals) {
      for (const entry of result.cases) {
        for (const sample of entry.samples) {
          for (const call of sample.calls) {
            const line: CallMetric = {
              eval: result.name,
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
            // Awaited only when write asks to wait (ChunkWriter).
            const wait = write(`${JSON.stringify(line)}\n`)
            if (wait) await wait
          }
        }
      }
    }
  }
}
