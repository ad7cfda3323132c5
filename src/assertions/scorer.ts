import { AssayError } from '../errors.js'
import { custom } from './custom.js'
import type { AssertionResult, CustomAssertion } from './types.js'

/** The scorer shape of autoevals and evalite: takes input, output and expected; returns a score. */
export type Scorer = (args: { input: unknown; output: string; expected: string | undefined }) => ScorerReturn | Promise<ScorerReturn>
export type ScorerReturn = number | { score: number | null; name?: string; metadata?: Record<string, unknown> }

/**
 * An autoevals/evalite scorer as an assertion, with no wrapper in the eval: `input` is the case's
 * vars, `expected` its reference. It passes at a score of 0.5 or more. A throw, or a null score,
 * is an error of the sample, never a score of 0.
 */
export function fromScorer(fn: Scorer): CustomAssertion {
  const name = fn.name || 'scorer'
  return custom(name, async (output, context): Promise<AssertionResult> => {
    const returned = await fn({ input: context.vars, output, expected: context.reference })
    const score = typeof returned === 'number' ? returned : returned?.score
    if (typeof score !== 'number' || Number.isNaN(score)) {
      throw new AssayError('ASSAY_ASSERTION_FAILED', `The scorer "${name}" returned no score (${JSON.stringify(returned)}).`, {
        fix: 'Return a number from 0 to 1, or { score, metadata }.',
      })
    }
    const rationale = typeof returned === 'object' && typeof returned.metadata?.rationale === 'string' ? returned.metadata.rationale : undefined
    return { pass: score >= 0.5, score, reason: rationale ? `score ${score}: ${rationale}` : `score ${score}` }
  })
}
