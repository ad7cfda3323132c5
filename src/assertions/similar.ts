import { checkShare, common, invalid } from './common.js'
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

export const similarHandler: AssertionHandler<SimilarAssertion> = {
  describe: ({ method, min, to, model }) => `similar (${method === 'embedding' ? `embedding, ${model}` : method}) >= ${min} to ${to === undefined ? 'the reference' : 'the given text'}`,
  // The similarity measures (and the edit-distance library) load with the first comparison a run makes.
  evaluate: async (spec, context) => (await import('./similarity.js')).compare(spec, context),
}
