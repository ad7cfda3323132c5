import type { AssertionOutcome, CaseResult } from '../results/types.js'

/**
 * One copy of the values that many case results repeat. A run keeps every result to its end (the
 * reports and the verdicts read them), so a value that 100,000 cases share should cost once, not
 * 100,000 times: texts such as model names and reasons, whole assertion outcomes (a passing
 * `contains "Summary"` is the same in every case), a sample's list of outcomes, and repeat counts.
 * Together these were about a quarter of a replay's memory per case.
 *
 * Shared objects are frozen: results are read-only once built, and with sharing a write to one
 * would change many cases. Each table is bounded: past its limit, new values are kept as they are.
 */

/** Distinct values kept per table; a run with more keeps the extra ones unshared. */
const TABLE_MAX = 10_000
/** Shared outcomes with one reason (they differ in name or score): a longer list would cost more to search than it saves. */
const SAME_REASON_MAX = 32

const texts = new Map<string, string>()
/** Shared outcomes by reason (a shared text, so the lookup hashes nothing new), then compared field by field. */
const outcomes = new Map<string, AssertionOutcome[]>()
let outcomeCount = 0
/** An id per shared outcome, so a list of them has a short key. */
const outcomeIds = new WeakMap<AssertionOutcome, number>()
const lists = new Map<string, readonly AssertionOutcome[]>()
const repeatCounts = new Map<number, Readonly<CaseResult['repeats']>>()

/**
 * One copy of a string that many results repeat (model names, reasons such as `contains
 * "Summary"`): each replayed fixture parses its own copy of the model name, and each assertion
 * builds its own reason.
 */
export function sharedText(text: string): string {
  const known = texts.get(text)
  if (known !== undefined) return known
  if (texts.size < TABLE_MAX) texts.set(text, text)
  return text
}

/** The shared, frozen copy of an assertion outcome equal to this one (field for field). */
export function sharedOutcome(outcome: AssertionOutcome): AssertionOutcome {
  const known = outcomes.get(outcome.reason)
  if (known !== undefined) {
    for (const candidate of known) if (sameOutcome(candidate, outcome)) return candidate
  }
  if (outcomeCount >= TABLE_MAX || (known !== undefined && known.length >= SAME_REASON_MAX)) return outcome
  const frozen = Object.freeze(outcome)
  if (known === undefined) outcomes.set(outcome.reason, [frozen])
  else known.push(frozen)
  outcomeIds.set(frozen, ++outcomeCount)
  return frozen
}

function sameOutcome(a: AssertionOutcome, b: AssertionOutcome): boolean {
  return a.kind === b.kind && a.name === b.name && a.sharedName === b.sharedName && a.pass === b.pass && Object.is(a.score, b.score) && a.weight === b.weight && a.advisory === b.advisory
}

/**
 * The shared, frozen copy of a sample's outcome list, when every outcome in it is shared (see
 * sharedOutcome); otherwise the list itself.
 */
export function sharedOutcomes(list: AssertionOutcome[]): AssertionOutcome[] {
  let key = ''
  for (const outcome of list) {
    const id = outcomeIds.get(outcome)
    if (id === undefined) return list
    key += `${id},`
  }
  const known = lists.get(key)
  if (known !== undefined) return known as AssertionOutcome[]
  if (lists.size >= TABLE_MAX) return list
  lists.set(key, Object.freeze(list))
  return list
}

/** A case's repeat counts, shared for the small counts nearly every case has. */
export function sharedRepeats(passed: number, total: number): CaseResult['repeats'] {
  if (total > 64) return { passed, total }
  const key = total * 65 + passed
  let known = repeatCounts.get(key)
  if (known === undefined) repeatCounts.set(key, (known = Object.freeze({ passed, total })))
  return known
}
