import type { EvalResult, JudgedSample } from '../results/types.js'
import { quantile } from '../stats/describe.js'

/** Per-eval figures for reports: scores, latency percentiles, tokens, retries, errors. */
export interface EvalMetrics {
  samples: number
  meanScore: number | undefined
  latencyP50: number | undefined
  latencyP95: number | undefined
  /** Latency of each judged sample's answer calls, for histograms. */
  latencies: number[]
  promptTokens: number
  completionTokens: number
  /** Answers asked for per sample (1 = no retryOnFail re-ask). */
  meanAttempts: number
  errorRate: number
  /** Share of calls replayed from fixtures. */
  fixtureShare: number
}

export function evalMetrics(result: EvalResult): EvalMetrics {
  const samples = result.cases.flatMap((entry) => entry.samples)
  const judged = samples.filter((sample): sample is JudgedSample => sample.status !== 'error')
  const latencies = judged.map((sample) => sample.calls.filter((call) => call.purpose === 'answer').reduce((sum, call) => sum + call.latencyMs, 0))
  const calls = samples.flatMap((sample) => sample.calls)
  return {
    samples: samples.length,
    meanScore: judged.length === 0 ? undefined : judged.reduce((sum, sample) => sum + sample.score, 0) / judged.length,
    latencyP50: latencies.length === 0 ? undefined : quantile(latencies, 0.5),
    latencyP95: latencies.length === 0 ? undefined : quantile(latencies, 0.95),
    latencies,
    promptTokens: calls.reduce((sum, call) => sum + (call.promptTokens ?? 0), 0),
    completionTokens: calls.reduce((sum, call) => sum + (call.completionTokens ?? 0), 0),
    meanAttempts: samples.length === 0 ? 0 : samples.reduce((sum, sample) => sum + sample.attempts, 0) / samples.length,
    errorRate: samples.length === 0 ? 0 : (samples.length - judged.length) / samples.length,
    fixtureShare: calls.length === 0 ? 0 : calls.filter((call) => call.source === 'fixture').length / calls.length,
  }
}
