/**
 * `npm run bench`: whole-process figures and micro-benchmarks, printed as a table and written to
 * bench/results.json. Needs the build (npm run build) and a few hundred MB of free disk for the
 * 100,000-case workspace. `npm run bench -- --quick` skips the 100,000-case run.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import { assert } from '../src/assertions/index.js'
import { evaluateAssertion } from '../src/assertions/registry.js'
import { FixtureStore } from '../src/fixtures/store.js'
import { fixtureKey } from '../src/fixtures/key.js'
import { aggregates } from '../src/metrics/summary.js'
import { renderPrompt } from '../src/templates/render.js'
import type { PromptTemplate } from '../src/templates/schema.js'
import { startFakeOllama } from '../test/helpers/ollama-server.js'
import { caseOf, judged } from '../test/helpers/results.js'
import { contextFor } from '../test/helpers/assertion-context.js'
import { answerFor, writeWorkspace } from './workspace.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin/assay.js')
const quick = process.argv.includes('--quick')
const GNU_TIME = '/usr/bin/time'

interface Row {
  measure: string
  value: number
  unit: string
  target: string
  holds: boolean | null
}
const rows: Row[] = []
const record = (measure: string, value: number, unit: string, target: string, holds: boolean | null) => {
  rows.push({ measure, value: Math.round(value * 100) / 100, unit, target, holds })
  console.log(`  ${measure}: ${Math.round(value * 100) / 100} ${unit}${target ? ` (target ${target}: ${holds ? 'holds' : 'misses'})` : ''}`)
}

/** Wall time and, with GNU time on the machine, peak RSS of one process. */
function measure(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ ms: number; rssMb: number | undefined; code: number }> {
  const useTime = existsSync(GNU_TIME)
  const command = useTime ? GNU_TIME : process.execPath
  const argv = useTime ? ['-f', '%M', process.execPath, bin, ...args] : [bin, ...args]
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => {
      const kb = Number(stderr.trim().split('\n').at(-1))
      resolve({ ms: performance.now() - started, rssMb: useTime && Number.isFinite(kb) ? kb / 1024 : undefined, code: code ?? 1 })
    })
  })
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

console.log(`assay benchmarks on ${cpus().length} cores, node ${process.version}`)

// Cold start: the CLI parses, prints its version and exits without loading the runner.
const starts: number[] = []
for (let i = 0; i < 7; i++) starts.push((await measure(['--version'], root)).ms)
record('assay --version cold start (median of 7)', median(starts), 'ms', '< 300 ms', median(starts) < 300)

// Replay runs: every case from fixtures, three assertions each, all reports written.
const scratch = mkdtempSync(join(tmpdir(), 'assay-bench-'))
try {
  for (const [evals, cases] of quick ? [[1, 100], [10, 1_000]] : [[1, 100], [10, 1_000], [10, 10_000]]) {
    const total = evals! * cases!
    const dir = join(scratch, `replay-${total}`)
    writeWorkspace(dir, { evals: evals!, cases: cases! })
    const run = await measure(['run', '--record', 'replay'], dir)
    if (run.code !== 0) throw new Error(`the ${total}-case replay exited ${run.code}`)
    const target = total === 10_000 ? '< 3 s' : total === 100_000 ? '< 30 s' : ''
    const seconds = run.ms / 1000
    record(`replay ${total.toLocaleString('en')} cases: wall`, seconds, 's', target, target ? seconds < (total === 10_000 ? 3 : 30) : null)
    if (run.rssMb !== undefined) record(`replay ${total.toLocaleString('en')} cases: peak RSS`, run.rssMb, 'MB', total === 100_000 ? '< 500 MB' : '', total === 100_000 ? run.rssMb < 500 : null)
    rmSync(dir, { recursive: true, force: true })
  }

  // Live runs against the loopback server answering in 200 ms: how close to cases x 200 ms / concurrency.
  const server = await startFakeOllama({ models: ['bench-model'], delayMs: 200, respond: (request) => answerFor(request.messages.at(-1)!.content.replace('Summarise this item: ', '')) })
  try {
    for (const [concurrency, cases] of [[1, 20], [4, 80], [16, 160]] as const) {
      const dir = join(scratch, `live-${concurrency}`)
      writeWorkspace(dir, { evals: 1, cases }, false)
      // The process's own start-up is not model time: measure it apart and take it off.
      const idle = await measure(['list'], dir)
      const run = await measure(['run', '--record', 'off', '--concurrency', String(concurrency), '--reporter', 'json'], dir, { OLLAMA_HOST: server.host })
      if (run.code !== 0) throw new Error(`the live run at concurrency ${concurrency} exited ${run.code}`)
      const ideal = (cases * 200) / concurrency
      const ratio = (run.ms - idle.ms) / ideal
      record(`live, 200 ms latency, concurrency ${concurrency} (${cases} cases): time / ideal`, ratio, 'x', '<= 1.05', ratio <= 1.05)
    }
  } finally {
    await server.close()
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

// Micro-benchmarks.
const template: PromptTemplate = {
  name: 'news/summarise',
  version: '1',
  file: 'x.yaml',
  active: true,
  systemPrompt: 'You summarise news items.',
  userPromptTemplate: 'Summarise item {{id}}: {{text}}\n{{#if context}}CONTEXT: {{context}}{{/if}}',
  variables: new Map([
    ['id', { type: 'int', optional: false }],
    ['text', { type: 'str', optional: false }],
    ['context', { type: 'str', optional: true }],
  ]),
  validation: undefined,
  examples: undefined,
}
const store = new FixtureStore(mkdtempSync(join(tmpdir(), 'assay-bench-store-')), 'fixtures')
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }], options: { temperature: 0 } }
const key = fixtureKey(request, 0)
await store.write({ schema: 1, key, eval: 'e', case: 'c', sample: 0, recordedAt: 'now', request, response: { content: 'Hello', model: 'm', usage: {}, timing: { latencyMs: 1 } } })
const set = [assert.length({ min: 50, max: 2000 }), assert.contains('Summary'), assert.matches(/council/)]
const context = contextFor(answerFor('the council approved repairs to the bridge.'))
const cases = Array.from({ length: 1000 }, (_, i) => caseOf(`c${i}`, [judged({ status: i % 9 ? 'pass' : 'fail' })]))
const bench = new Bench({ time: 500 })
bench
  .add('template render', () => {
    renderPrompt(template, { id: 7, text: 'The bridge reopens.', context: 'Week 3.' }, { evalName: 'e', caseId: 'c' })
  })
  .add('fixture key + lookup (disk)', async () => {
    await store.read('e', fixtureKey(request, 0))
  })
  .add('assertion set (3 cheap)', async () => {
    for (const spec of set) await evaluateAssertion(spec, context)
  })
  .add('result aggregation (1,000 cases)', () => {
    aggregates(cases)
  })
await bench.run()
for (const task of bench.tasks) {
  const latency = (task.result as { latency?: { p50?: number; mean: number } } | undefined)?.latency
  record(`micro: ${task.name} (median)`, (latency?.p50 ?? latency?.mean ?? Number.NaN) * 1000, 'µs', '', null)
}

const out = { machine: { cores: cpus().length, node: process.version }, measuredAt: new Date().toISOString(), quick, rows }
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(out, null, 2)}\n`)
console.table(rows)
