import { AssayError } from '../errors.js'
import type { AssertionHandler, ContainsAssertion } from './types.js'

export interface ContainsOptions {
  /** @default false */
  ignoreCase?: boolean
}

/** Every value must appear in the output. */
export function contains(values: string | string[], options: ContainsOptions = {}): ContainsAssertion {
  const list = Array.isArray(values) ? values : [values]
  if (list.length === 0 || list.some((value) => typeof value !== 'string' || value === '')) {
    throw new AssayError('ASSAY_EVAL_INVALID', 'assert.contains() needs one or more non-empty strings.', {
      fix: "Write assert.contains('dragon') or assert.contains(['dragon', 'castle']).",
    })
  }
  return { kind: 'contains', values: list, ignoreCase: options.ignoreCase ?? false }
}

export const containsHandler: AssertionHandler<ContainsAssertion> = {
  describe({ values, ignoreCase }) {
    return `contains ${values.map((v) => JSON.stringify(v)).join(', ')}${ignoreCase ? ' (any case)' : ''}`
  },
  evaluate({ values, ignoreCase }, { output }) {
    const haystack = ignoreCase ? output.toLowerCase() : output
    const missing = values.filter((value) => !haystack.includes(ignoreCase ? value.toLowerCase() : value))
    const found = values.length - missing.length
    if (missing.length === 0) {
      return { pass: true, score: 1, reason: `contains all ${values.length} value${values.length > 1 ? 's' : ''}` }
    }
    return {
      pass: false,
      score: found / values.length,
      reason: `missing ${missing.map((v) => JSON.stringify(v)).join(', ')} (${found} of ${values.length} found)`,
    }
  },
}
