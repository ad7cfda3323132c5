import type { CaseResult, JudgedSample } from './types.js'

/** `chapter-3`, or `chapter-3 [short]` for a variant's result: how every report names a case. */
export function caseLabel(entry: Pick<CaseResult, 'id' | 'variant'>): string {
  return entry.variant === undefined ? entry.id : `${entry.id} [${entry.variant}]`
}

/** `name: reason` of each assertion that failed the sample (advisory ones never do). */
export function failingReasons(sample: JudgedSample): string[] {
  return sample.assertions.filter((outcome) => !outcome.pass && !outcome.advisory).map((outcome) => `${outcome.name}: ${outcome.reason}`)
}
