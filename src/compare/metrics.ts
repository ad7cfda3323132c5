import type { CallRecord, SampleResult } from '../results/types.js'
import type { MetricName } from '../results/words.js'

/** What a comparison reads of a sample: results.json samples and baseline files both fit. */
export interface ComparableSample {
  status: SampleResult['status']
  assertions?: { name: string; sharedName?: string | undefined; score: number }[]
  calls: (Pick<CallRecord, 'purpose' | 'latencyMs'> & { completionTokens?: number | undefined })[]
}

export interface ComparableCase {
  id: string
  variant?: string | undefined
  /** The case's verdict (after repeatGate), which pass rate compares; read from the samples when absent. */
  status?: SampleResult['status'] | undefined
  samples: ComparableSample[]
}

type JudgedSample = ComparableSample & { assertions: { name: string; sharedName?: string | undefined; score: number }[] }

/** An assertion's name in every case alike: its label before case values were filled in. */
const groupName = (outcome: { name: string; sharedName?: string | undefined }) => outcome.sharedName ?? outcome.name

/** A number read off each judged sample, compared between variants. */
export interface Metric {
  name: MetricName
  better: 'higher' | 'lower'
  /** Values are 0 or 1, one per case (pass rate): exact McNemar applies. */
  binary: boolean
  /** The smallest difference worth detecting, given the baseline's mean: the default margin. */
  minimumEffect(baselineMean: number): number
  value(sample: JudgedSample): number | undefined
  /** A metric of the whole case rather than of each sample. */
  caseValue?(entry: ComparableCase): number | undefined
}

/** The metric that decides a comparison unless an eval names another (`primaryMetric`). */
export const DEFAULT_PRIMARY_METRIC: MetricName = 'pass rate'

/** A case's verdict: its own status, or (for older records) every judged sample passing. */
function caseStatus(entry: ComparableCase): SampleResult['status'] | undefined {
  if (entry.status !== undefined) return entry.status
  const judged = entry.samples.filter((sample) => sample.status !== 'error')
  if (judged.length === 0) return undefined
  return judged.every((sample) => sample.status === 'pass') ? 'pass' : 'fail'
}

/** Pass rate, each assertion's score, latency and completion tokens. */
export function metricsFor(cases: ComparableCase[]): Metric[] {
  const assertionNames = new Set<string>()
  for (const entry of cases) for (const sample of entry.samples) if (sample.status !== 'error') for (const outcome of sample.assertions ?? []) assertionNames.add(groupName(outcome))
  const answerCalls = (sample: JudgedSample) => sample.calls.filter((call) => call.purpose === 'answer')
  return [
    {
      // The share of cases whose verdict is pass, the figure the eval's threshold is held to:
      // with repeats, each case counts once, as repeatGate decided it.
      name: 'pass rate',
      better: 'higher',
      binary: true,
      minimumEffect: () => 0.1,
      value: (sample) => (sample.status === 'pass' ? 1 : 0),
      caseValue: (entry) => {
        const status = caseStatus(entry)
        return status === undefined || status === 'error' ? undefined : status === 'pass' ? 1 : 0
      },
    },
    ...[...assertionNames].map(
      (name): Metric => ({
        name: `score: ${name}`,
        better: 'higher',
        binary: false,
        minimumEffect: () => 0.05,
        value: (sample) => sample.assertions.find((outcome) => groupName(outcome) === name)?.score,
      }),
    ),
    {
      name: 'latency ms',
      better: 'lower',
      binary: false,
      minimumEffect: (baseline) => Math.max(1, 0.1 * baseline),
      value: (sample) => (answerCalls(sample).length === 0 ? undefined : answerCalls(sample).reduce((sum, call) => sum + call.latencyMs, 0)),
    },
    {
      name: 'completion tokens',
      better: 'lower',
      binary: false,
      minimumEffect: (baseline) => Math.max(1, 0.1 * baseline),
      value: (sample) => {
        const calls = answerCalls(sample)
        if (calls.length === 0 || calls.some((call) => call.completionTokens === undefined)) return undefined
        return calls.reduce((sum, call) => sum + call.completionTokens!, 0)
      },
    },
  ]
}

/** Per case id, the metric's values over the judged samples of one variant's results. */
export function valuesByCase(cases: ComparableCase[], variant: string | undefined, metric: Metric): Map<string, number[]> {
  const values = new Map<string, number[]>()
  for (const entry of cases) {
    if (entry.variant !== variant) continue
    if (metric.caseValue) {
      const value = metric.caseValue(entry)
      if (value !== undefined) values.set(entry.id, [value])
      continue
    }
    const list: number[] = []
    for (const sample of entry.samples) {
      if (sample.status === 'error') continue
      const value = metric.value({ ...sample, assertions: sample.assertions ?? [] })
      if (value !== undefined) list.push(value)
    }
    if (list.length > 0) values.set(entry.id, list)
  }
  return values
}
