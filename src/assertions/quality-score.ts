import { fillVars, round } from './common.js'
import { extractJson } from './json-extract.js'
import { detectLanguage } from './language.js'
import { findLanguage } from './languages.js'
import { words } from './similarity.js'
import type { AssertionContext, AssertionResult, QualityAssertion, QualityTask } from './types.js'

// Imported by quality.ts on the first quality score: runs without assert.quality() never load it.

/** The seed's expected lengths per task, in characters. */
const EXPECTED_LENGTH: Record<QualityTask, [number, number]> = {
  creative: [1000, 3000],
  analytical: [200, 1000],
  structured: [100, 500],
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

/** The quality score of the answer against the assertion's minimum. */
export async function scoreAnswer({ task, min, language }: QualityAssertion, { output, vars }: AssertionContext): Promise<AssertionResult> {
  const { score, parts } = await scoreQuality(output, task, language === undefined ? undefined : fillVars(language, vars))
  const detail = parts.map((part) => `${part.name} ${round(part.score, 2)} (${part.detail})`).join(', ')
  return { pass: score >= min, score: round(score), reason: `${round(score, 2)} ${score >= min ? '>=' : '<'} ${min}: ${detail}` }
}
