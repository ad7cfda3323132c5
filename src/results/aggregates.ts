import { quantile } from '../stats/describe.js'
import type { Aggregates, CaseResult, JudgedSample } from './types.js'

/** Each judged sample's model time (its answer calls), behind the percentiles and histograms. */
export function answerLatencies(cases: CaseResult[]): number[] {
  // Plain loops: this runs over every sample of a run twice (aggregates, the html histogram), and
  // the filter/map chain made an array per sample.
  const latencies: number[] = []
  for (const entry of cases) {
    for (const sample of entry.samples) {
      if (sample.status === 'error') continue
      let ms = 0
      for (const call of sample.calls) if (call.purpose === 'answer') ms += call.latencyMs
      latencies.push(ms)
    }
  }
  return latencies
}

/** The aggregates of an eval's (or a variant's) cases. */
export function aggregates(cases: CaseResult[]): Aggregates {
  const samples = cases.flatMap((entry) => entry.samples)
  const judged = samples.filter((sample): sample is JudgedSample => sample.status !== 'error')
  const latencies = answerLatencies(cases)
  const calls = samples.flatMap((sample) => sample.calls)
  const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole)
  const cacheable = calls.filter((call) => call.source !== 'fixture').length
  return {
    samples: samples.length,
    passRate: share(judged.filter((sample) => sample.status === 'pass').length, judged.length),
    meanScore: judged.length === 0 ? undefined : judged.reduce((sum, sample) => sum + sample.score, 0) / judged.length,
    latencyP50: latencies.length === 0 ? undefined : quantile(latencies, 0.5),
    latencyP95: latencies.length === 0 ? undefined : quantile(latencies, 0.95),
    promptTokens: calls.reduce((sum, call) => sum + (call.promptTokens ?? 0), 0),
    completionTokens: calls.reduce((sum, call) => sum + (call.completionTokens ?? 0), 0),
    retryRate: share(calls.filter((call) => call.retries > 0).length, calls.length),
    meanAttempts: share(samples.reduce((sum, sample) => sum + sample.attempts, 0), samples.length),
    errorRate: share(samples.length - judged.length, samples.length),
    cacheHitRate: share(calls.filter((call) => call.source === 'cache').length, cacheable),
    fixtureShare: share(calls.filter((call) => call.source === 'fixture').length, calls.length),
  }
}
