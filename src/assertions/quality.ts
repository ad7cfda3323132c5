import { checkShare, common, fillVars, invalid, round } from './common.js'
import { extractJson } from './json-extract.js'
import { detectLanguage } from './language.js'
import { findLanguage } from './languages.js'
import { words } from './similar.js'
import type { AssertionHandler, CommonOptions, QualityAssertion, QualityTask } from './types.js'

export interface QualityOptions extends CommonOptions {
  /** The least overall score that passes. @default 0.8 */
  min?: number
  /** @default 'creative' */
  task?: QualityTask
  /** Expected language (`'en'`, `'English'` or `'{{language}}'`); no language sub-score without it. */
  language?: string
}

/** The seed's expected lengths per task, in characters. */
export const EXPECTED_LENGTH: Record<QualityTask, [number, number]> = {
  creative: [1000, 3000],
  analytical: [200, 1000],
  structured: [100, 500],
}

/** The seed's heuristic quality score (no model call): length fit, language, diversity, coherence. */
export function quality(options: QualityOptions = {}): QualityAssertion {
  const name = 'assert.quality()'
  const { min = 0.8, task = 'creative', language } = options
  checkShare(name, 'min', min)
  if (!(task in EXPECTED_LENGTH)) throw invalid(name, `task must be "creative", "analytical" or "structured", got "${String(task)}"`)
  if (language !== undefined && !language.includes('{{') && !findLanguage(language)) throw invalid(name, `does not know the language "${language}"`)
  return { kind: 'quality', min, task, language, ...common(options, name) }
}

export interface QualityBreakdown {
  score: number
  parts: { name: string; score: number; detail: string }[]
}

export async function scoreQuality(output: string, task: QualityTask, language: string | undefined): Promise<QualityBreakdown> {
  const parts: QualityBreakdown['parts'] = []
  const [low, high] = EXPECTED_LENGTH[task]
  const size = [...output].length
  const lengthScore = size < low ? size / low : size > high ? high / size : 1
  parts.push({ name: 'length', score: lengthScore, detail: `${size} chars, expected ${low}..${high}` })

  if (language !== undefined) {
    const wanted = findLanguage(language)
    const detected = output.trim() === '' ? undefined : await detectLanguage(output)
    const score = !wanted || !detected?.reliable ? 0.5 : detected.language === wanted.code ? 1 : 0
    parts.push({ name: 'language', score, detail: detected?.reliable ? `${detected.language}, expected ${wanted?.code ?? language}` : 'undetermined' })
  }

  const tokens = words(output)
  if (task === 'creative') {
    // The seed: unique/total words, where 0.4-0.7 is a good range for creative writing.
    const unique = tokens.length === 0 ? 0 : new Set(tokens).size / tokens.length
    parts.push({ name: 'diversity', score: Math.min(1, unique / 0.6), detail: `${round(unique * 100, 0)}% unique words` })
  }

  if (task === 'structured') {
    const extracted = extractJson(output, 'lenient')
    parts.push({ name: 'structure', score: extracted.found ? 1 : 0, detail: extracted.found ? `JSON (${extracted.strategy})` : 'no JSON' })
  } else {
    const { score, detail } = coherence(output, tokens)
    parts.push({ name: 'coherence', score, detail })
  }
  const score = parts.reduce((sum, part) => sum + part.score, 0) / parts.length
  return { score, parts }
}

/**
 * Two signs of text that holds together: little repetition (distinct word trigrams / all
 * trigrams) and sentences of a readable size (3 to 60 words).
 */
function coherence(output: string, tokens: string[]): { score: number; detail: string } {
  if (tokens.length === 0) return { score: 0, detail: 'no words' }
  const trigrams: string[] = []
  for (let i = 0; i + 2 < tokens.length; i++) trigrams.push(`${tokens[i]} ${tokens[i + 1]} ${tokens[i + 2]}`)
  const fresh = trigrams.length === 0 ? 1 : new Set(trigrams).size / trigrams.length
  const sentences = output
    .split(/(?<=[.!?。！？])\s+|\n{2,}/u)
    .map((sentence) => words(sentence).length)
    .filter((count) => count > 0)
  const readable = sentences.length === 0 ? 0 : sentences.filter((count) => count >= 3 && count <= 60).length / sentences.length
  return { score: (fresh + readable) / 2, detail: `${round(fresh * 100, 0)}% distinct trigrams, ${round(readable * 100, 0)}% readable sentences` }
}

export const qualityHandler: AssertionHandler<QualityAssertion> = {
  describe: ({ task, min }) => `quality (${task}) >= ${min}`,
  async evaluate({ task, min, language }, { output, vars }) {
    const { score, parts } = await scoreQuality(output, task, language === undefined ? undefined : fillVars(language, vars))
    const detail = parts.map((part) => `${part.name} ${round(part.score, 2)} (${part.detail})`).join(', ')
    return { pass: score >= min, score: round(score), reason: `${round(score, 2)} ${score >= min ? '>=' : '<'} ${min}: ${detail}` }
  },
}
