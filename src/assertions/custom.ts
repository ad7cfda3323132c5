import { AssayError } from '../errors.js'
import { common, invalid } from './common.js'
import type { AssertionContext, AssertionHandler, AssertionResult, CommonOptions, CustomAssertion, CustomReturn } from './types.js'

/**
 * Your own check. Return a boolean, a score in 0..1 (passes at `threshold`, default 0.5), or
 * `{ pass, score, reason }`. A throw is an error of the sample, never a score of 0.
 */
export function custom(
  name: string,
  fn: (output: string, context: AssertionContext) => CustomReturn | Promise<CustomReturn>,
  options: CommonOptions = {},
): CustomAssertion {
  if (typeof name !== 'string' || name.trim() === '') throw invalid('assert.custom()', 'needs a name as its first argument', "Write assert.custom('mentions the hero', (output) => ...).")
  if (typeof fn !== 'function') throw invalid('assert.custom()', `"${name}" needs a function as its second argument`)
  return { kind: 'custom', name, fn, ...common(options, 'assert.custom()') }
}

export const customHandler: AssertionHandler<CustomAssertion> = {
  describe: ({ name }) => name,
  async evaluate({ name, fn, threshold }, context) {
    let value: CustomReturn
    try {
      value = await fn(context.output, context)
    } catch (error) {
      throw new AssayError('ASSAY_ASSERTION_FAILED', `The custom assertion "${name}" threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    }
    return toResult(name, value, threshold ?? 0.5)
  },
}

function toResult(name: string, value: unknown, threshold: number): AssertionResult {
  if (typeof value === 'boolean') return { pass: value, score: value ? 1 : 0, reason: value ? 'passed' : 'failed' }
  if (typeof value === 'number') {
    if (!(value >= 0 && value <= 1)) throw returned(name, `the score ${value}, outside 0..1`)
    return { pass: value >= threshold, score: value, reason: `score ${value} ${value >= threshold ? '>=' : '<'} ${threshold}` }
  }
  const result = value as Partial<AssertionResult> | null
  if (typeof result === 'object' && result !== null && typeof result.pass === 'boolean') {
    const score = result.score ?? (result.pass ? 1 : 0)
    if (!(score >= 0 && score <= 1)) throw returned(name, `the score ${score}, outside 0..1`)
    return { pass: result.pass, score, reason: typeof result.reason === 'string' ? result.reason : result.pass ? 'passed' : 'failed' }
  }
  throw returned(name, JSON.stringify(value) ?? String(value))
}

function returned(name: string, what: string): AssayError {
  return new AssayError('ASSAY_ASSERTION_FAILED', `The custom assertion "${name}" returned ${what}.`, {
    fix: 'Return true/false, a score from 0 to 1, or { pass, score, reason }.',
  })
}
