import { distance } from 'fastest-levenshtein'
import { checkShare, common, invalid, round } from './common.js'
import type { AssertionHandler, CommonOptions, SimilarAssertion, SimilarityMethod } from './types.js'

export interface SimilarOptions extends CommonOptions {
  /** The text to compare with; the case's `reference` when left out. */
  to?: string
  /** The least similarity that passes. @default 0.7 */
  min?: number
  /** `embedding` compares meaning: the cosine of the two texts' embeddings. @default 'rouge-l' */
  method?: SimilarityMethod
  /** The embedding model (method 'embedding' only), e.g. `nomic-embed-text`. */
  model?: string
  /** The provider serving the embedding model, named in the config; the eval's when left out. */
  provider?: string
}

/** Similar to a golden text: edit-distance ratio, ROUGE-L F1 over words, or the cosine of embeddings. */
export function similar(options: SimilarOptions = {}): SimilarAssertion {
  const name = 'assert.similar()'
  const { to, min = 0.7, method = 'rouge-l', model, provider } = options
  checkShare(name, 'min', min)
  if (method !== 'levenshtein' && method !== 'rouge-l' && method !== 'embedding') throw invalid(name, `method must be "rouge-l", "levenshtein" or "embedding", got "${String(method)}"`)
  if (to !== undefined && typeof to !== 'string') throw invalid(name, 'to must be a string')
  if (method === 'embedding' && (typeof model !== 'string' || model === '')) throw invalid(name, 'method "embedding" needs the embedding model', "Write assert.similar({ method: 'embedding', model: 'nomic-embed-text', min: 0.8 }).")
  if (method !== 'embedding' && (model !== undefined || provider !== undefined)) throw invalid(name, `model and provider are for method "embedding", not "${method}"`)
  if (provider !== undefined && (typeof provider !== 'string' || provider === '')) throw invalid(name, 'provider must be the name of a provider in the config')
  return { kind: 'similar', to, min, method, model: method === 'embedding' ? model : undefined, provider, ...common(options, name) }
}

/** The cosine of two vectors: 1 for the same direction, 0 for unrelated, -1 for opposite. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0
  let normA = 0
  let normB = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!
    normA += a[i]! * a[i]!
    normB += b[i]! * b[i]!
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB)
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
  describe: ({ method, min, to, model }) => `similar (${method === 'embedding' ? `embedding, ${model}` : method}) >= ${min} to ${to === undefined ? 'the reference' : 'the given text'}`,
  async evaluate({ to, min, method, model, provider }, { output, reference, embed }) {
    const target = to ?? reference
    if (target === undefined) return { pass: false, score: 0, reason: 'the case has no reference to compare with' }
    if (method === 'embedding') {
      // One request for both texts: one call, one fixture.
      const [answer, compared] = await embed({ provider, model: model!, input: [output, target] })
      const raw = cosine(answer!, compared!)
      const similarity = round(raw)
      // A score is 0..1; the rare negative cosine scores 0 and is shown as it is.
      return { pass: similarity >= min, score: Math.max(0, similarity), reason: `cosine similarity ${similarity} ${similarity >= min ? '>=' : '<'} ${min} (embeddings of ${model})` }
    }
    const similarity = round(method === 'levenshtein' ? levenshteinRatio(output, target) : rougeL(output, target))
    return { pass: similarity >= min, score: similarity, reason: `${method} similarity ${similarity} ${similarity >= min ? '>=' : '<'} ${min}` }
  },
}
