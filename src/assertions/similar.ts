import { distance } from 'fastest-levenshtein'
import { checkShare, common, invalid, round } from './common.js'
import type { AssertionHandler, CommonOptions, SimilarAssertion, SimilarityMethod } from './types.js'

export interface SimilarOptions extends CommonOptions {
  /** The text to compare with; the case's `reference` when left out. */
  to?: string
  /** The least similarity that passes. @default 0.7 */
  min?: number
  /** @default 'rouge-l' */
  method?: SimilarityMethod
}

/** Similar to a golden text: edit-distance ratio or ROUGE-L F1 over words. */
export function similar(options: SimilarOptions = {}): SimilarAssertion {
  const name = 'assert.similar()'
  const { to, min = 0.7, method = 'rouge-l' } = options
  checkShare(name, 'min', min)
  if (method !== 'levenshtein' && method !== 'rouge-l') throw invalid(name, `method must be "levenshtein" or "rouge-l", got "${String(method)}"`)
  if (to !== undefined && typeof to !== 'string') throw invalid(name, 'to must be a string')
  return { kind: 'similar', to, min, method, ...common(options, name) }
}

/** 1 - edit distance / length of the longer text: 1 for equal texts, 0 for nothing in common. */
export function levenshteinRatio(a: string, b: string): number {
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 1 : 1 - distance(a, b) / longest
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []
}

/** ROUGE-L: F1 of the longest common subsequence of words (Lin, 2004; beta = 1). */
export function rougeL(candidate: string, reference: string): number {
  const a = words(candidate)
  const b = words(reference)
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0
  const lcs = lcsLength(a, b)
  if (lcs === 0) return 0
  const precision = lcs / a.length
  const recall = lcs / b.length
  return (2 * precision * recall) / (precision + recall)
}

function lcsLength(a: string[], b: string[]): number {
  // One row of the dynamic-programming table at a time: O(|a|·|b|) time, O(|b|) memory.
  let previous = new Uint32Array(b.length + 1)
  let current = new Uint32Array(b.length + 1)
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!)
    }
    ;[previous, current] = [current, previous]
  }
  return previous[b.length]!
}

export const similarHandler: AssertionHandler<SimilarAssertion> = {
  describe: ({ method, min, to }) => `similar (${method}) >= ${min} to ${to === undefined ? 'the reference' : 'the given text'}`,
  evaluate({ to, min, method }, { output, reference }) {
    const target = to ?? reference
    if (target === undefined) return { pass: false, score: 0, reason: 'the case has no reference to compare with' }
    const similarity = round(method === 'levenshtein' ? levenshteinRatio(output, target) : rougeL(output, target))
    return { pass: similarity >= min, score: similarity, reason: `${method} similarity ${similarity} ${similarity >= min ? '>=' : '<'} ${min}` }
  },
}
