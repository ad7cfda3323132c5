import { checkShare, common, invalid } from './common.js'
import { findLanguage } from './languages.js'
import type { AssertionHandler, CommonOptions, QualityAssertion, QualityTask } from './types.js'

export interface QualityOptions extends CommonOptions {
  /** The least overall score that passes. @default 0.8 */
  min?: number
  /** @default 'creative' */
  task?: QualityTask
  /** Expected language (`'en'`, `'English'` or `'{{language}}'`); no language sub-score without it. */
  language?: string
}

const TASKS: readonly QualityTask[] = ['creative', 'analytical', 'structured']

/** The seed's heuristic quality score (no model call): length fit, language, diversity, coherence. */
export function quality(options: QualityOptions = {}): QualityAssertion {
  const name = 'assert.quality()'
  const { min = 0.8, task = 'creative', language } = options
  checkShare(name, 'min', min)
  if (!TASKS.includes(task)) throw invalid(name, `task must be "creative", "analytical" or "structured", got "${String(task)}"`)
  if (language !== undefined && !language.includes('{{') && !findLanguage(language)) throw invalid(name, `does not know the language "${language}"`)
  return { kind: 'quality', min, task, language, ...common(options, name) }
}

export const qualityHandler: AssertionHandler<QualityAssertion> = {
  describe: ({ task, min }) => `quality (${task}) >= ${min}`,
  // The scoring code (and the similarity measures it counts words with) loads with the first quality score a run asks.
  evaluate: async (spec, context) => (await import('./quality-score.js')).scoreAnswer(spec, context),
}
