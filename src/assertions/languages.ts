/** Writing systems the script checks know. */
export type Script = 'Latin' | 'Cyrillic' | 'Greek' | 'Arabic' | 'Hebrew' | 'Devanagari' | 'Bengali' | 'Thai' | 'Georgian' | 'Armenian' | 'Han' | 'Kana' | 'Hangul'

interface Language {
  code: string
  name: string
  scripts: Script[]
}

// ISO 639-1 codes of the languages the detector (eld, small database) knows, with their scripts.
const LANGUAGES: Language[] = [
  ['am', 'Amharic', []],
  ['ar', 'Arabic', ['Arabic']],
  ['az', 'Azerbaijani', ['Latin']],
  ['be', 'Belarusian', ['Cyrillic']],
  ['bg', 'Bulgarian', ['Cyrillic']],
  ['bn', 'Bengali', ['Bengali']],
  ['ca', 'Catalan', ['Latin']],
  ['cs', 'Czech', ['Latin']],
  ['da', 'Danish', ['Latin']],
  ['de', 'German', ['Latin']],
  ['el', 'Greek', ['Greek']],
  ['en', 'English', ['Latin']],
  ['es', 'Spanish', ['Latin']],
  ['et', 'Estonian', ['Latin']],
  ['eu', 'Basque', ['Latin']],
  ['fa', 'Persian', ['Arabic']],
  ['fi', 'Finnish', ['Latin']],
  ['fr', 'French', ['Latin']],
  ['gu', 'Gujarati', []],
  ['he', 'Hebrew', ['Hebrew']],
  ['hi', 'Hindi', ['Devanagari']],
  ['hr', 'Croatian', ['Latin']],
  ['hu', 'Hungarian', ['Latin']],
  ['hy', 'Armenian', ['Armenian']],
  ['is', 'Icelandic', ['Latin']],
  ['it', 'Italian', ['Latin']],
  ['ja', 'Japanese', ['Han', 'Kana']],
  ['ka', 'Georgian', ['Georgian']],
  ['kn', 'Kannada', []],
  ['ko', 'Korean', ['Hangul', 'Han']],
  ['ku', 'Kurdish', []],
  ['lo', 'Lao', []],
  ['lt', 'Lithuanian', ['Latin']],
  ['lv', 'Latvian', ['Latin']],
  ['ml', 'Malayalam', []],
  ['mr', 'Marathi', ['Devanagari']],
  ['ms', 'Malay', ['Latin']],
  ['nl', 'Dutch', ['Latin']],
  ['no', 'Norwegian', ['Latin']],
  ['or', 'Oriya', []],
  ['pa', 'Punjabi', []],
  ['pl', 'Polish', ['Latin']],
  ['pt', 'Portuguese', ['Latin']],
  ['ro', 'Romanian', ['Latin']],
  ['ru', 'Russian', ['Cyrillic']],
  ['sk', 'Slovak', ['Latin']],
  ['sl', 'Slovenian', ['Latin']],
  ['sq', 'Albanian', ['Latin']],
  ['sr', 'Serbian', ['Cyrillic', 'Latin']],
  ['sv', 'Swedish', ['Latin']],
  ['ta', 'Tamil', []],
  ['te', 'Telugu', []],
  ['th', 'Thai', ['Thai']],
  ['tl', 'Tagalog', ['Latin']],
  ['tr', 'Turkish', ['Latin']],
  ['uk', 'Ukrainian', ['Cyrillic']],
  ['ur', 'Urdu', ['Arabic']],
  ['vi', 'Vietnamese', ['Latin']],
  ['yo', 'Yoruba', ['Latin']],
  ['zh', 'Chinese', ['Han']],
].map(([code, name, scripts]) => ({ code: code as string, name: name as string, scripts: scripts as Script[] }))

const byKey = new Map<string, Language>()
for (const language of LANGUAGES) {
  byKey.set(language.code, language)
  byKey.set(language.name.toLowerCase(), language)
}

/** `en`, `EN`, `English` or `english` → the language; undefined when unknown. */
export function findLanguage(text: string): Language | undefined {
  return byKey.get(text.trim().toLowerCase())
}

export function languageName(code: string): string {
  return byKey.get(code)?.name ?? code
}

const SCRIPT_PATTERNS: [Script, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Bengali', /\p{Script=Bengali}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Han', /\p{Script=Han}/u],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Hangul', /\p{Script=Hangul}/u],
]

/** Letters per script; letters of scripts not in the table are counted under `other`. */
export function countScripts(text: string): { counts: Map<Script | 'other', number>; letters: number } {
  const counts = new Map<Script | 'other', number>()
  let letters = 0
  for (const char of text) {
    if (!/\p{L}/u.test(char)) continue
    letters++
    const script = SCRIPT_PATTERNS.find(([, pattern]) => pattern.test(char))?.[0] ?? 'other'
    counts.set(script, (counts.get(script) ?? 0) + 1)
  }
  return { counts, letters }
}

/** CJK: Han, Hiragana, Katakana and Hangul characters. */
export const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
