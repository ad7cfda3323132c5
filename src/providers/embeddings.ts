import { ProviderFailure } from './failure.js'

/** More dimensions than any embedding model has: a server that sends more is broken. */
const MAX_DIMENSIONS = 65_536

/**
 * The vectors a server sent, checked: one per text, every one the same length, finite numbers
 * only. Anything else is a broken response (worth a retry), never a similarity score.
 */
export function checkEmbeddings(vectors: unknown, count: number, label: string): number[][] {
  const broken = (problem: string) => new ProviderFailure('ASSAY_PROVIDER_FAILED', `${label} sent broken embeddings: ${problem}.`, { retryable: true })
  if (!Array.isArray(vectors)) throw broken('no list of vectors')
  if (vectors.length !== count) throw broken(`${vectors.length} vectors for ${count} texts`)
  const size = Array.isArray(vectors[0]) ? vectors[0].length : 0
  if (size === 0 || size > MAX_DIMENSIONS) throw broken(`vectors of ${size} dimensions`)
  for (const vector of vectors) {
    if (!Array.isArray(vector) || vector.length !== size) throw broken('vectors of different lengths')
    if (!vector.every((value) => typeof value === 'number' && Number.isFinite(value))) throw broken('a value that is not a finite number')
  }
  return vectors as number[][]
}
