import { common, invalid } from './common.js'
import type { AssertionHandler, CommonOptions, EqualsAssertion, MatchesAssertion } from './types.js'

/** The output must match the pattern; a string is compiled as a regular expression. */
export function matches(pattern: RegExp | string, options: CommonOptions = {}): MatchesAssertion {
  const name = 'assert.matches()'
  if (pattern instanceof RegExp) return { kind: 'matches', source: pattern.source, flags: pattern.flags.replace(/[gy]/g, ''), ...common(options, name) }
  try {
    new RegExp(pattern, 'u')
  } catch (error) {
    throw invalid(name, `got an invalid pattern: ${(error as Error).message}`, 'Pass a RegExp literal such as /^Chapter \\d+/m, or escape the special characters.')
  }
  return { kind: 'matches', source: pattern, flags: 'u', ...common(options, name) }
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

export interface EqualsOptions extends CommonOptions {
  /** @default false */
  ignoreCase?: boolean
  /** Trim, and treat any run of white space as one space. @default true */
  ignoreWhitespace?: boolean
}

/** The whole output equals the text; without one, the case's reference. */
export function equals(expected?: string, options: EqualsOptions = {}): EqualsAssertion {
  if (expected !== undefined && typeof expected !== 'string') throw invalid('assert.equals()', 'expects a string, or nothing to compare with the case reference')
  return {
    kind: 'equals',
    expected,
    ignoreCase: options.ignoreCase ?? false,
    ignoreWhitespace: options.ignoreWhitespace ?? true,
    ...common(options, 'assert.equals()'),
  }
}

export const equalsHandler: AssertionHandler<EqualsAssertion> = {
  describe({ expected, ignoreCase }) {
    return `equals ${expected === undefined ? 'the reference' : JSON.stringify(clip(expected))}${ignoreCase ? ' (any case)' : ''}`
  },
  evaluate({ expected, ignoreCase, ignoreWhitespace }, { output, reference }) {
    const target = expected ?? reference
    if (target === undefined) return { pass: false, score: 0, reason: 'the case has no reference to compare with' }
    const normal = (text: string) => {
      const spaced = ignoreWhitespace ? text.trim().replace(/\s+/gu, ' ') : text
      return ignoreCase ? spaced.toLowerCase() : spaced
    }
    const [a, b] = [normal(output), normal(target)]
    if (a === b) return { pass: true, score: 1, reason: 'equal' }
    let at = 0
    while (at < a.length && a[at] === b[at]) at++
    return { pass: false, score: 0, reason: `differs at character ${at + 1}: got ${JSON.stringify(clip(a.slice(at)))}, expected ${JSON.stringify(clip(b.slice(at)))}` }
  },
}

export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text
}
