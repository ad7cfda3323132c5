/**
 * Assertion throughput: each assertion over 1,000 generated answers of about 3,000 characters
 * (a chapter-sized answer), as in issue 3. Run with `npm run bench:assertions`; prints a table.
 */
import { Bench } from 'tinybench'
import { z } from 'zod'
import { assert } from '../src/assertions/index.js'
import { evaluateAssertion } from '../src/assertions/registry.js'
import { levenshteinRatio } from '../src/assertions/similarity.js'
import type { AssertionContext, AssertionSpec } from '../src/assertions/types.js'
import { stripThinking } from '../src/assertions/json-extract.js'

const SENTENCES = [
  'The storm had blown itself out by midnight, but the sea was still talking to the rocks.',
  'Mara climbed the last turn of the stair with her candle guttering in the draught.',
  'Her father had banked the lamp himself and told her twice not to touch the brass.',
  'Someone had polished the lens so recently that she could smell the vinegar.',
  'Far beyond the reef, something dark was moving against the dark.',
  'The logbook lay open on the desk, a line of fresh ink below her father’s careful hand.',
]

/** Deterministic pseudo-random answers of about 3,000 characters each. */
function answers(count: number): string[] {
  let seed = 7
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  return Array.from({ length: count }, () => {
    let text = ''
    while (text.length < 3000) text += `${SENTENCES[Math.floor(next() * SENTENCES.length)]} `
    return text.trim()
  })
}

const outputs = answers(1000)
const reference = outputs[0]!
const json = outputs.map((text) => `Here you go:\n\`\`\`json\n${JSON.stringify({ title: 'Chapter', body: text.slice(0, 2900) })}\n\`\`\``)
const contexts = (texts: string[]): AssertionContext[] =>
  texts.map((raw) => ({
    output: stripThinking(raw),
    raw,
    vars: { language: 'English' },
    reference,
    calls: [{ latencyMs: 900, promptTokens: 200, completionTokens: 600 }],
    model: 'llama3.2',
    toolCalls: [],
    judge: () => Promise.reject(new Error('no judge in the benchmark')),
    embed: () => Promise.reject(new Error('no embeddings in the benchmark')),
  }))
const prose = contexts(outputs)
const structured = contexts(json)

const Chapter = z.object({ title: z.string(), body: z.string().min(100) })
const suites: [string, AssertionSpec, AssertionContext[]][] = [
  ['length (chars)', assert.length({ min: 1000, max: 5000 }), prose],
  ['length (words)', assert.length({ min: 100, max: 900, unit: 'words' }), prose],
  ['contains x3', assert.contains(['Mara', 'lamp', 'reef']), prose],
  ['matches', assert.matches(/\bvinegar\b/), prose],
  ['noCJK', assert.noCJK(), prose],
  ['printable', assert.printable(), prose],
  ['language (eld)', assert.language('en'), prose],
  ['json (fenced)', assert.json(), structured],
  ['schema (zod)', assert.schema(Chapter), structured],
  ['similar rouge-l', assert.similar({ method: 'rouge-l' }), prose],
  ['similar levenshtein', assert.similar({ method: 'levenshtein' }), prose],
  ['quality (creative, en)', assert.quality({ language: 'en' }), prose],
]
const set: AssertionSpec[] = [assert.length({ min: 1000, max: 5000 }), assert.noCJK(), assert.language('{{language}}')]

const bench = new Bench({ time: 300, iterations: 1 })
for (const [name, spec, inputs] of suites) {
  bench.add(name, async () => {
    for (const context of inputs) await evaluateAssertion(spec, context)
  })
}
bench.add('set: length + noCJK + language', async () => {
  for (const context of prose) for (const spec of set) await evaluateAssertion(spec, context)
})
// The edit distance similar() is built on, against the textbook O(n*m) table it replaced.
bench.add('levenshtein: fastest-levenshtein x100', () => {
  for (let i = 0; i < 100; i++) levenshteinRatio(outputs[i]!, reference)
})
bench.add('levenshtein: plain DP table x100', () => {
  for (let i = 0; i < 100; i++) plainLevenshtein(outputs[i]!, reference)
})

function plainLevenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]!
}

await bench.run()
const rows = bench.tasks.map((task) => {
  const result = task.result as { latency?: { mean: number; p50?: number } } | undefined
  const ms = result?.latency?.p50 ?? result?.latency?.mean ?? Number.NaN
  const per = task.name.includes('x100') ? 100 : 1000
  return { assertion: task.name, 'median ms per batch': Number(ms.toFixed(1)), 'outputs/s': Math.round((per / ms) * 1000) }
})
console.log(`Assertion throughput over ${outputs.length} answers of ~${Math.round(outputs.reduce((s, o) => s + o.length, 0) / outputs.length)} chars (node ${process.version})`)
console.table(rows)
