/**
 * The words results.json and the reports are keyed by. They sit here, at the bottom, so the
 * config, the parts and the reporters can all name them without importing one another.
 */

export const RECORD_MODES = ['replay', 'new', 'all', 'off'] as const
/** How recorded fixtures are used: VCR-style record modes. */
export type RecordMode = (typeof RECORD_MODES)[number]

export const REPORTER_NAMES = ['default', 'verbose', 'dot', 'json', 'junit', 'html', 'metrics', 'github'] as const
export type ReporterName = (typeof REPORTER_NAMES)[number]

/** Where a call's answer came from. */
export type CallSource = 'fixture' | 'cache' | 'live'

/**
 * Every assertion kind. `assertions/types.ts` checks at compile time that its specs have exactly
 * these kinds, so a new assertion is added here too.
 */
export type AssertionKind =
  | 'length'
  | 'contains'
  | 'notContains'
  | 'matches'
  | 'equals'
  | 'language'
  | 'noCJK'
  | 'printable'
  | 'json'
  | 'schema'
  | 'similar'
  | 'quality'
  | 'judge'
  | 'latency'
  | 'tokens'
  | 'toolCalls'
  | 'custom'

/** The metrics with fixed names that variants are compared on. */
export const FIXED_METRICS = ['pass rate', 'latency ms', 'completion tokens'] as const

/** A compared metric: a fixed one, or `score: <assertion name>`, one per scored assertion. */
export type MetricName = (typeof FIXED_METRICS)[number] | `score: ${string}`

export function isMetricName(name: string): name is MetricName {
  return (FIXED_METRICS as readonly string[]).includes(name) || /^score: .+/.test(name)
}
