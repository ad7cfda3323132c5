import { distance } from 'fastest-levenshtein'
import { round } from './common.js'
import type { AssertionContext, AssertionResult, SimilarAssertion } from './types.js'

// Imported by similar.ts on the first comparison: runs without assert.similar() or
// assert.quality() never load it.

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

/** Scores the answer's similarity to the target text (the case's reference by default). */
export async function compare({ to, min, method, model, provider }: SimilarAssertion, { output, reference, embed }: AssertionContext): Promise<AssertionResult> {
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
}
