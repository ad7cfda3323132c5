import { AssayError } from '../errors.js'
import type { AssertionHandler, MatchesAssertion } from './types.js'

/** The output must match the pattern; a string is compiled as a regular expression. */
export function matches(pattern: RegExp | string): MatchesAssertion {
  if (pattern instanceof RegExp) return { kind: 'matches', source: pattern.source, flags: pattern.flags.replace(/[gy]/g, '') }
  try {
    new RegExp(pattern, 'u')
  } catch (error) {
    throw new AssayError('ASSAY_EVAL_INVALID', `assert.matches() got an invalid pattern: ${(error as Error).message}`, {
      fix: 'Pass a RegExp literal such as /^Chapter \\d+/m, or escape the special characters.',
    })
  }
  return { kind: 'matches', source: pattern, flags: 'u' }
}

export const matchesHandler: AssertionHandler<MatchesAssertion> = {
  describe({ source, flags }) {
    return `matches /${source}/${flags}`
  },
  evaluate({ source, flags }, { output }) {
    const found = new RegExp(source, flags).exec(output)
    if (found) return { pass: true, score: 1, reason: `matches at offset ${found.index}: ${JSON.stringify(clip(found[0]))}` }
    return { pass: false, score: 0, reason: 'no match' }
  },
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
