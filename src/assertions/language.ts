import { common, fillVars, invalid, round } from './common.js'
import { CJK, countScripts, findLanguage, languageName } from './languages.js'
import type { AssertionHandler, CommonOptions, LanguageAssertion, NoCjkAssertion, PrintableAssertion } from './types.js'

/** Fewer letters than this and no detector can tell languages apart reliably. */
const MIN_LETTERS = 20
/** A streamed answer is judged by its script once it has this many letters. */
const SCRIPT_SAMPLE = 60

type Detector = (text: string) => { language: string; reliable: boolean }
let detector: Promise<Detector> | undefined

/**
 * eld (Nito-ELD, small database), imported on first use so runs without a language assertion
 * never load its 1.6 MB of n-grams.
 */
export function detectLanguage(text: string): Promise<{ language: string; reliable: boolean }> {
  detector ??= import('eld/small').then(({ eld }) => (input: string) => {
    const result = eld.detect(input)
    return { language: result.language, reliable: result.isReliable() }
  })
  return detector.then((detect) => detect(text))
}

/**
 * The answer is in this language: an ISO 639-1 code (`'en'`), a name (`'English'`), or
 * `'{{language}}'` to take it from the case's vars.
 */
export function language(code: string, options: CommonOptions = {}): LanguageAssertion {
  const name = 'assert.language()'
  if (typeof code !== 'string' || code.trim() === '') throw invalid(name, 'needs a language such as "en" or "English"')
  if (!code.includes('{{') && !findLanguage(code)) {
    throw invalid(name, `does not know the language "${code}"`, 'Use an ISO 639-1 code such as "en", "fr" or "zh", or an English name such as "German".')
  }
  return { kind: 'language', language: code, ...common(options, name) }
}

export const languageHandler: AssertionHandler<LanguageAssertion> = {
  cheap: true,
  describe({ language: code }) {
    return `language ${code.includes('{{') ? code : findLanguage(code)!.code}`
  },
  async evaluate({ language: code }, { output, vars }) {
    const wanted = findLanguage(fillVars(code, vars))
    if (!wanted) return { pass: false, score: 0, reason: `unknown expected language "${fillVars(code, vars)}"` }
    const letters = countLetters(output, MIN_LETTERS)
    if (letters < MIN_LETTERS) {
      return { pass: false, score: 0, reason: `undetermined: ${letters} letters is too little text to tell the language reliably` }
    }
    const detected = await detectLanguage(output)
    if (!detected.reliable || detected.language === '') {
      return { pass: false, score: 0, reason: `undetermined: the detector is not confident (best guess ${languageName(detected.language) || 'none'})` }
    }
    if (detected.language === wanted.code) return { pass: true, score: 1, reason: `${wanted.name}, as expected` }
    return { pass: false, score: 0, reason: `${languageName(detected.language)} (${detected.language}), not ${wanted.name} (${wanted.code})` }
  },
  hopeless({ language: code }, partial) {
    const wanted = findLanguage(code)
    if (!wanted || wanted.scripts.length === 0) return undefined
    const { counts, letters } = countScripts(partial)
    if (letters < SCRIPT_SAMPLE) return undefined
    const inScript = wanted.scripts.reduce((sum, script) => sum + (counts.get(script) ?? 0), 0)
    if (inScript / letters >= 0.5) return undefined
    const [main] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!
    return `wrong script: mostly ${main}, expected ${wanted.scripts.join(' or ')} for ${wanted.name}`
  },
}

/** Letters in the text, counting no further than `enough`. */
function countLetters(text: string, enough: number): number {
  let letters = 0
  for (const _ of text.matchAll(/\p{L}/gu)) if (++letters >= enough) break
  return letters
}

/** No Chinese, Japanese or Korean characters: the seed's fast check against a model drifting into CJK. */
export function noCJK(options: CommonOptions = {}): NoCjkAssertion {
  return { kind: 'noCJK', ...common(options, 'assert.noCJK()') }
}

export const noCjkHandler: AssertionHandler<NoCjkAssertion> = {
  cheap: true,
  describe: () => 'no CJK characters',
  evaluate(_, { output }) {
    // Most answers have no CJK at all: one regex pass decides them.
    if (!CJK.test(output)) return { pass: true, score: 1, reason: 'no CJK characters' }
    let count = 0
    let first = -1
    let index = 0
    for (const char of output) {
      if (CJK.test(char)) {
        count++
        if (first < 0) first = index
      }
      index++
    }
    if (count === 0) return { pass: true, score: 1, reason: 'no CJK characters' }
    const { letters } = countScripts(output)
    return {
      pass: false,
      score: round(1 - count / Math.max(letters, 1)),
      reason: `${count} CJK character${count > 1 ? 's' : ''}, the first at character ${first + 1}: ${JSON.stringify([...output].slice(first, first + 12).join(''))}`,
    }
  },
  hopeless(_, partial) {
    const match = CJK.exec(partial)
    return match ? `CJK character ${JSON.stringify(match[0])}` : undefined
  },
}

export interface PrintableOptions extends CommonOptions {
  /** Share of characters that must be printable. @default 0.95 */
  minRatio?: number
}

/** Mostly printable text: the seed's guard against binary garbage and mojibake. */
export function printable(options: PrintableOptions = {}): PrintableAssertion {
  const minRatio = options.minRatio ?? 0.95
  if (!(minRatio >= 0 && minRatio <= 1)) throw invalid('assert.printable()', `minRatio must be from 0 to 1, got ${String(minRatio)}`)
  return { kind: 'printable', minRatio, ...common(options, 'assert.printable()') }
}

// Control, format, surrogate, private-use and unassigned code points, and U+FFFD (a decoding error).
const UNPRINTABLE = /[\p{C}\uFFFD]/u

export const printableHandler: AssertionHandler<PrintableAssertion> = {
  cheap: true,
  describe: ({ minRatio }) => `printable >= ${Math.round(minRatio * 100)}%`,
  evaluate({ minRatio }, { output }) {
    let total = 0
    let bad = 0
    for (const char of output) {
      total++
      if (char !== '\n' && char !== '\r' && char !== '\t' && UNPRINTABLE.test(char)) bad++
    }
    if (total === 0) return { pass: false, score: 0, reason: 'empty output' }
    const ratio = (total - bad) / total
    const text = `${round(ratio * 100, 1)}% printable (${bad} of ${total} characters are not)`
    return { pass: ratio >= minRatio, score: round(ratio), reason: ratio >= minRatio ? text : `${text}, below ${round(minRatio * 100, 1)}%` }
  },
}
