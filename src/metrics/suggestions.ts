import type { Aggregates, Suggestion } from '../results/types.js'

/**
 * The seed's optimizer thresholds: more than 1.5 re-asks a sample, a validation (sample) pass rate
 * below 80% (over the samples judged), a median latency above 30 s.
 */
export function suggestions(metrics: Aggregates): Suggestion[] {
  const { passRate } = metrics
  const found: Suggestion[] = []
  if (metrics.meanAttempts - 1 > 1.5) {
    found.push({
      trigger: `${(metrics.meanAttempts - 1).toFixed(2)} re-asks per sample (above 1.5)`,
      advice: ['Make the instructions more explicit', 'Add few-shot examples', 'Simplify the task'],
    })
  }
  // With no sample judged (every call errored: a missing fixture, a server down) the pass rate says
  // nothing about the prompt, and the case errors already name their fix.
  const judged = metrics.samples > 0 && metrics.errorRate < 1
  if (judged && passRate < 0.8) {
    found.push({
      trigger: `pass rate ${(passRate * 100).toFixed(1)}% (below 80%)`,
      advice: ['State the requirement the failures miss more strongly', 'Add an example that meets it', 'Use a stricter system prompt'],
    })
  }
  if ((metrics.latencyP50 ?? 0) > 30_000) {
    found.push({
      trigger: `median latency ${((metrics.latencyP50 ?? 0) / 1000).toFixed(1)} s (above 30 s)`,
      advice: ['Shorten the prompt', 'Remove redundant context', 'Use a smaller model for this task'],
    })
  }
  return found
}
