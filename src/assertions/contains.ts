import { common, invalid } from './common.js'
import type { AssertionHandler, CommonOptions, ContainsAssertion } from './types.js'

export interface ContainsOptions extends CommonOptions {
  /** @default false */
  ignoreCase?: boolean
}

function values(list: string | string[], name: string): string[] {
  const array = Array.isArray(list) ? list : [list]
  if (array.length === 0 || array.some((value) => typeof value !== 'string' || value === '')) {
    throw invalid(name, 'needs one or more non-empty strings', `Write ${name.replace('()', "('dragon')")} or pass a list of strings.`)
  }
  return array
}

/** Every value must appear in the output. */
export function contains(list: string | string[], options: ContainsOptions = {}): ContainsAssertion {
  return { kind: 'contains', values: values(list, 'assert.contains()'), ignoreCase: options.ignoreCase ?? false, ...common(options, 'assert.contains()') }
}

/** No value may appear in the output. */
export function notContains(list: string | string[], options: ContainsOptions = {}): ContainsAssertion {
  return { kind: 'notContains', values: values(list, 'assert.notContains()'), ignoreCase: options.ignoreCase ?? false, ...common(options, 'assert.notContains()') }
}

const quoted = (list: string[]) => list.map((value) => JSON.stringify(value)).join(', ')

function found({ values: list, ignoreCase }: ContainsAssertion, output: string): string[] {
  const haystack = ignoreCase ? output.toLowerCase() : output
  return list.filter((value) => haystack.includes(ignoreCase ? value.toLowerCase() : value))
}

export const containsHandler: AssertionHandler<ContainsAssertion> = {
  describe({ values: list, ignoreCase }) {
    return `contains ${quoted(list)}${ignoreCase ? ' (any case)' : ''}`
  },
  evaluate(spec, { output }) {
    const present = found(spec, output)
    const missing = spec.values.filter((value) => !present.includes(value))
    if (missing.length === 0) return { pass: true, score: 1, reason: `contains all ${spec.values.length} value${spec.values.length > 1 ? 's' : ''}` }
    return { pass: false, score: present.length / spec.values.length, reason: `missing ${quoted(missing)} (${present.length} of ${spec.values.length} found)` }
  },
}

export const notContainsHandler: AssertionHandler<ContainsAssertion> = {
  describe({ values: list, ignoreCase }) {
    return `does not contain ${quoted(list)}${ignoreCase ? ' (any case)' : ''}`
  },
  evaluate(spec, { output }) {
    const present = found(spec, output)
    if (present.length === 0) return { pass: true, score: 1, reason: `contains none of the ${spec.values.length} value${spec.values.length > 1 ? 's' : ''}` }
    return { pass: false, score: 1 - present.length / spec.values.length, reason: `contains ${quoted(present)}` }
  },
  hopeless(spec, partial) {
    const present = found(spec, partial)
    return present.length > 0 ? `contains ${quoted(present)}` : undefined
  },
}
