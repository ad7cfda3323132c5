import { containsHandler } from './contains.js'
import { lengthHandler } from './length.js'
import { matchesHandler } from './matches.js'
import type { AssertionContext, AssertionHandler, AssertionHandlers, AssertionResult, AssertionSpec } from './types.js'

const handlers: AssertionHandlers = {
  length: lengthHandler,
  contains: containsHandler,
  matches: matchesHandler,
}

function handlerFor<S extends AssertionSpec>(spec: S): AssertionHandler<S> {
  return handlers[spec.kind] as unknown as AssertionHandler<S>
}

export function describeAssertion(spec: AssertionSpec): string {
  return handlerFor(spec).describe(spec)
}

export async function evaluateAssertion(spec: AssertionSpec, context: AssertionContext): Promise<AssertionResult> {
  return handlerFor(spec).evaluate(spec, context)
}

export function isAssertionSpec(value: unknown): value is AssertionSpec {
  return typeof value === 'object' && value !== null && Object.hasOwn(handlers, (value as { kind?: unknown }).kind as string)
}
