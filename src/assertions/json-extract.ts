/** Where in the answer the JSON was found. */
export type JsonStrategy = 'whole answer' | '```json block' | 'fenced block' | 'first balanced {...} or [...]'

export type Extracted = { found: true; value: unknown; strategy: JsonStrategy } | { found: false; reason: string }

/**
 * Removes `<think>...</think>` blocks, and the reasoning before a lone `</think>` (some models drop
 * the opening tag), so only the answer is judged.
 */
export function stripThinking(text: string): string {
  let answer = text.replace(/<think(?:ing)?>[\s\S]*?<\/think(?:ing)?>/gi, '')
  const lone = /<\/think(?:ing)?>/i.exec(answer)
  if (lone) answer = answer.slice(lone.index + lone[0].length)
  return answer.replace(/<think(?:ing)?>[\s\S]*$/i, '').trim()
}

const MAX_CANDIDATES = 64

/**
 * The seed's extraction, most specific first: the whole answer, a ```json block, any fenced
 * block, then the first balanced `{...}` or `[...]` that parses. `strict` accepts only the whole
 * answer (after `<think>` removal).
 */
export function extractJson(text: string, mode: 'strict' | 'lenient'): Extracted {
  const answer = text.trim()
  if (answer === '') return { found: false, reason: 'empty output' }
  const whole = tryParse(answer)
  if (whole.ok) return { found: true, value: whole.value, strategy: 'whole answer' }
  if (mode === 'strict') return { found: false, reason: `the answer is not JSON as a whole (${whole.error})` }
  for (const [strategy, pattern] of [
    ['```json block', /```json[^\n]*\n([\s\S]*?)```/gi],
    ['fenced block', /```[^\n]*\n([\s\S]*?)```/g],
  ] as const) {
    for (const match of answer.matchAll(pattern)) {
      const parsed = tryParse(match[1]!.trim())
      if (parsed.ok) return { found: true, value: parsed.value, strategy }
    }
  }
  let candidates = 0
  for (let start = nextOpening(answer, 0); start >= 0 && candidates < MAX_CANDIDATES; start = nextOpening(answer, start + 1)) {
    const end = balancedEnd(answer, start)
    if (end < 0) continue
    candidates++
    const parsed = tryParse(answer.slice(start, end + 1))
    if (parsed.ok) return { found: true, value: parsed.value, strategy: 'first balanced {...} or [...]' }
  }
  return { found: false, reason: 'no JSON found (tried the whole answer, fenced blocks and balanced brackets)' }
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}

function nextOpening(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === '{' || text[i] === '[') return i
  return -1
}

/** Index of the bracket closing the one at `start`, skipping brackets inside strings; -1 if none. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = []
  let inString = false
  for (let i = start; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
      continue
    }
    if (char === '"') inString = true
    else if (char === '{') stack.push('}')
    else if (char === '[') stack.push(']')
    else if (char === '}' || char === ']') {
      if (stack.pop() !== char) return -1
      if (stack.length === 0) return i
    }
  }
  return -1
}
