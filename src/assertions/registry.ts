import { fillVars } from './common.js'
import { containsHandler, notContainsHandler } from './contains.js'
import { customHandler } from './custom.js'
import { latencyHandler, tokensHandler } from './figures.js'
import { jsonHandler, schemaHandler } from './json.js'
import { judgeHandler } from './judge.js'
import { languageHandler, noCjkHandler, printableHandler } from './language.js'
import { lengthHandler } from './length.js'
import { equalsHandler, matchesHandler } from './matches.js'
import { qualityHandler } from './quality.js'
import { similarHandler } from './similar.js'
import { toolCallsHandler } from './tool-calls.js'
import type { AssertionContext, AssertionHandler, AssertionHandlers, AssertionResult, AssertionSpec } from './types.js'

const handlers: AssertionHandlers = {
  length: lengthHandler,
  contains: containsHandler,
  notContains: notContainsHandler,
  matches: matchesHandler,
  equals: equalsHandler,
  language: languageHandler,
  noCJK: noCjkHandler,
  printable: printableHandler,
  json: jsonHandler,
  schema: schemaHandler,
  similar: similarHandler,
  quality: qualityHandler,
  judge: judgeHandler,
  latency: latencyHandler,
  tokens: tokensHandler,
  toolCalls: toolCallsHandler,
  custom: customHandler,
}

function handlerFor<S extends AssertionSpec>(spec: S): AssertionHandler<S> {
  return handlers[spec.kind] as unknown as AssertionHandler<S>
}

// One label per spec, shared by every sample's outcome rather than built again for each.
const labels = new WeakMap<AssertionSpec, string>()

/**
 * A short label for reports: `length 600..4000 chars`. With a case's `vars`, a `{{name}}` in it
 * shows that case's value (`language French`, not `language {{language}}`).
 */
export function describeAssertion(spec: AssertionSpec, vars?: Readonly<Record<string, unknown>>): string {
  let label = labels.get(spec)
  if (label === undefined) {
    label = handlerFor(spec).describe(spec)
    labels.set(spec, label)
  }
  return vars && label.includes('{{') ? fillVars(label, vars) : label
}

/** Runs the assertion, then applies its `threshold` when it has one: pass = score >= threshold. */
export async function evaluateAssertion(spec: AssertionSpec, context: AssertionContext): Promise<AssertionResult> {
  const result = await handlerFor(spec).evaluate(spec, context)
  if (spec.threshold === undefined || spec.kind === 'custom') return result
  return { ...result, pass: result.score >= spec.threshold }
}

/** Why a partial streamed answer can no longer pass this assertion, if it can tell. */
export function hopeless(spec: AssertionSpec, partial: string): string | undefined {
  return handlerFor(spec).hopeless?.(spec, partial)
}

export function canStopEarly(spec: AssertionSpec): boolean {
  return !spec.advisory && handlerFor(spec).hopeless !== undefined
}

/** Cheap, local checks whose failure is worth re-asking the model about (retryOnFail). */
export function isCheap(spec: AssertionSpec): boolean {
  return handlerFor(spec).cheap === true
}

export function isAssertionSpec(value: unknown): value is AssertionSpec {
  return typeof value === 'object' && value !== null && Object.hasOwn(handlers, (value as { kind?: unknown }).kind as string)
}
