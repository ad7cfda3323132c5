/**
 * Synthetic workspaces for the benchmarks: `evals` evals of `cases` cases each, a template, and
 * a recorded fixture for every call, written directly (the keys are computed exactly as a run
 * computes them), so a replay run finds every answer.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fixtureKey } from '../src/recording/key.js'
import { evalSlug } from '../src/results/files.js'
import type { ChatRequest } from '../src/providers/types.js'

export interface WorkspaceSize {
  evals: number
  cases: number
}

const SYSTEM = 'You summarise news items in one paragraph.'
const MODEL = 'bench-model'
const OPTIONS = { temperature: 0, seed: 1 }

export function answerFor(text: string): string {
  return `Summary: ${text} The council will decide next month, and residents are invited to comment before then. Officials expect the work to finish within the year.`
}

export function itemText(i: number): string {
  return `Item ${i}: the town council approved repairs to bridge number ${i % 97} after an inspection found worn bearings.`
}

/** Writes the workspace under `root`; returns the number of fixtures written. */
export function writeWorkspace(root: string, { evals, cases }: WorkspaceSize, withFixtures = true): number {
  mkdirSync(join(root, 'evals/templates/news'), { recursive: true })
  mkdirSync(join(root, 'golden'), { recursive: true })
  writeFileSync(
    join(root, 'evals/templates/news/summarise_v1.yaml'),
    `version: "1"\nsystem_prompt: ${JSON.stringify(SYSTEM)}\nuser_prompt_template: "Summarise this item: {{text}}"\nvariables:\n  - text: str\n`,
  )
  writeFileSync(join(root, 'assay.config.ts'), `export default { include: ['evals/**/*.eval.ts'], cache: { enabled: false } }\n`)
  const lines: string[] = []
  for (let i = 0; i < cases; i++) lines.push(JSON.stringify({ name: `item-${i}`, vars: { text: itemText(i) } }))
  writeFileSync(join(root, 'golden/items.jsonl'), `${lines.join('\n')}\n`)
  const declarations = Array.from(
    { length: evals },
    (_, e) => `evaluate('news ${e}', {
  template: 'news/summarise',
  model: '${MODEL}',
  options: ${JSON.stringify(OPTIONS)},
  cases: 'golden/items.jsonl',
  assert: [assert.length({ min: 50, max: 2000 }), assert.contains('Summary'), assert.matches(/council/)],
  threshold: 0.9,
})`,
  )
  writeFileSync(join(root, 'evals/bench.eval.ts'), `import { assert, evaluate } from 'assay'\n\n${declarations.join('\n\n')}\n`)
  if (!withFixtures) return 0
  let written = 0
  for (let e = 0; e < evals; e++) {
    const dir = join(root, 'fixtures', evalSlug(`news ${e}`))
    mkdirSync(dir, { recursive: true })
    for (let i = 0; i < cases; i++) {
      const request: ChatRequest = {
        model: MODEL,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: `Summarise this item: ${itemText(i)}` },
        ],
        options: OPTIONS,
      }
      const key = fixtureKey(request, 0)
      const fixture = {
        schema: 1,
        key,
        eval: `news ${e}`,
        case: `item-${i}`,
        sample: 0,
        recordedAt: '2026-11-24T00:00:00.000Z',
        request,
        response: { content: answerFor(itemText(i)), model: MODEL, doneReason: 'stop', usage: { promptTokens: 30, completionTokens: 40 }, timing: { latencyMs: 850, firstTokenMs: 90 } },
      }
      writeFileSync(join(dir, `${key}.json`), `${JSON.stringify(fixture, null, 2)}\n`)
      written++
    }
  }
  return written
}
