/**
 * `npm run bench`: the whole-process figures of the speed table (docs/scale.md), then a few
 * micro-benchmarks, printed as a table and written to bench/results.json. Each figure is the median
 * of RUNS runs of a fresh process (SHORT_RUNS for runs under a second and LIVE_RUNS for the live
 * row and its floor, whose medians this virtual machine's noise moves most), after one unmeasured warm-up run (which fills jiti's transpile
 * cache, as any second run on a machine finds it), with peak RSS the highest of those runs. The
 * live row and its floor run in turns, so the machine's drift moves both alike. Every
 * workspace is built from scratch in a temporary folder, and reports/ is removed before each run.
 * Needs the build (npm run build) and ~500 MB of free disk for the 100,000-case workspace.
 * `npm run bench -- --quick` skips the 100,000-case run.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import { assert } from '../src/assertions/index.js'
import { evaluateAssertion } from '../src/assertions/registry.js'
import { FixtureStore } from '../src/recording/store.js'
import { fixtureKey } from '../src/recording/key.js'
import { aggregates } from '../src/results/aggregates.js'
import { renderPrompt } from '../src/templates/render.js'
import type { PromptTemplate } from '../src/templates/schema.js'
import { startFakeOllama } from '../test/helpers/ollama-server.js'
import { caseOf, judged } from '../test/helpers/results.js'
import { contextFor } from '../test/helpers/assertion-context.js'
import { answerFor, writeWorkspace } from './workspace.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin/assay.js')
/** Where src/code-cache.ts keeps the compiled run command: removed for the first-run row, filled by the warm-up runs. */
const codeCache = join(root, '.code-cache')
const quick = process.argv.includes('--quick')
const GNU_TIME = '/usr/bin/time'
const RUNS = 3
const SHORT_RUNS = 7
/** The live row and its floor: 5 s a run, and a few tens of ms apart. */
const LIVE_RUNS = 5

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

interface Measured {
  ms: number
  rssMb: number | undefined
  code: number
}

/** Wall time and, with GNU time on the machine, peak RSS of one process (`script`: assay's CLI unless told). */
function measure(args: string[], cwd: string, env: Record<string, string> = {}, script = bin): Promise<Measured> {
  const useTime = existsSync(GNU_TIME)
  const command = useTime ? GNU_TIME : process.execPath
  const argv = useTime ? ['-f', '%M', process.execPath, script, ...args] : [script, ...args]
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

/** A command to measure: `what` names it in an error; `script` is run by node (default bin/assay.js). */
interface Runner {
  what: string
  args: string[]
  cwd: string
  env?: Record<string, string>
  script?: string
  /** Removed before each run, besides the workspace's reports/. */
  fresh?: string[]
}

interface Series {
  seconds: number
  all: number[]
  rssMb: number | undefined
}

/**
 * `count` measured runs of each runner after one unmeasured warm-up run of each (unless `warmUp` is
 * false), each from a workspace without reports/ (and without what `fresh` removes). Several
 * runners take turns, the order reversed every other round, so a drift of the machine during the
 * series moves them alike and neither always runs first: the live row and its floor are compared
 * run by run, not one batch after another.
 */
async function series(runners: Runner[], count: number, warmUp = true): Promise<Series[]> {
  const results: Measured[][] = runners.map(() => [])
  for (let round = warmUp ? -1 : 0; round < count; round++) {
    const order = runners.map((_, index) => index)
    if (round % 2 === 1) order.reverse()
    for (const index of order) {
      const { what, args, cwd, env = {}, script = bin, fresh = [] } = runners[index]!
      for (const path of [join(cwd, 'reports'), ...fresh]) rmSync(path, { recursive: true, force: true })
      const run = await measure(args, cwd, env, script)
      if (run.code !== 0) throw new Error(`${what} exited ${run.code}`)
      if (round >= 0) results[index]!.push(run)
    }
  }
  return results.map((runs) => {
    const rss = runs.flatMap((run) => (run.rssMb === undefined ? [] : [run.rssMb]))
    return { seconds: median(runs.map((run) => run.ms)) / 1000, all: runs.map((run) => Math.round(run.ms) / 1000), rssMb: rss.length === 0 ? undefined : Math.max(...rss) }
  })
}

console.log(`assay benchmarks on ${cpus().length} cores, node ${process.version}, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`)

// Cold start: the CLI parses, prints its version and exits without loading the runner.
const starts: number[] = []
for (let i = 0; i < 7; i++) starts.push((await measure(['--version'], root)).ms)
record('assay --version cold start (median of 7)', median(starts), 'ms', '< 300 ms', median(starts) < 300)

const scratch = mkdtempSync(join(tmpdir(), 'assay-bench-'))
try {
  // Replay: every case from fixtures, 1 template, 3 cheap assertions each, all reports written.
  const replays = [
    { evals: 1, cases: 2_000, seconds: 0.5, rssMb: undefined },
    { evals: 10, cases: 10_000, seconds: 6, rssMb: 300 },
  ].filter((size) => !quick || size.evals * size.cases < 100_000)
  for (const size of replays) {
    const total = size.evals * size.cases
    const label = `replay ${total.toLocaleString('en')} cases`
    const dir = join(scratch, `replay-${total}`)
    writeWorkspace(dir, size)
    // The 100,000-case run is long enough that a warm-up run would add little but minutes.
    const count = total < 100_000 ? SHORT_RUNS : RUNS
    const run = (await series([{ what: label, args: ['run', '--record', 'replay'], cwd: dir }], count, total < 100_000))[0]!
    record(`${label}: wall (median of ${count}: ${run.all.join(', ')} s)`, run.seconds, 's', `<= ${size.seconds} s`, run.seconds <= size.seconds)
    if (run.rssMb !== undefined) record(`${label}: peak RSS (highest of ${count})`, run.rssMb, 'MB', size.rssMb ? `<= ${size.rssMb} MB` : '', size.rssMb ? run.rssMb <= size.rssMb : null)
    if (total < 100_000) {
      // A fresh CI machine's first run: jiti transpiles the config and eval files (babel) before it
      // can cache them, and V8 compiles the run command's code with no code cache to start from
      // (src/code-cache.ts writes it as the run ends). For scale; the target is for the runs after it.
      const cold = (await series([{ what: `${label}, first run`, args: ['run', '--record', 'replay'], cwd: dir, env: { JITI_REBUILD_FS_CACHE: '1' }, fresh: [codeCache] }], SHORT_RUNS, false))[0]!
      record(`${label}, first run on a machine (jiti's transpile cache rebuilt, no code cache; median of ${SHORT_RUNS}: ${cold.all.join(', ')} s)`, cold.seconds, 's', '', null)
    }
    rmSync(dir, { recursive: true, force: true })
  }

  // Live: 200 cases against a loopback server answering in 200 ms, 8 calls in flight; whole process.
  const server = await startFakeOllama({ models: ['bench-model'], delayMs: 200, respond: (request) => answerFor(request.messages.at(-1)!.content.replace('Summarise this item: ', '')) })
  try {
    const [concurrency, cases] = [8, 200]
    const dir = join(scratch, 'live')
    writeWorkspace(dir, { evals: 1, cases }, false)
    const ideal = (cases * 200) / concurrency / 1000
    // With its floor, the same calls from a bare client (bench/bare-client.mjs), run by run in turns.
    const env = { OLLAMA_HOST: server.host }
    const [run, floor] = (await series(
      [
        { what: 'the live run', args: ['run', '--record', 'off', '--no-cache', '--concurrency', String(concurrency)], cwd: dir, env },
        { what: 'the bare client', args: [String(cases), String(concurrency)], cwd: dir, env, script: join(root, 'bench/bare-client.mjs') },
      ],
      LIVE_RUNS,
    )) as [Series, Series]
    record(`live, ${cases} cases, 200 ms answers, concurrency ${concurrency}, whole process (median of ${LIVE_RUNS}: ${run.all.join(', ')} s; ideal ${ideal.toFixed(2)} s)`, run.seconds, 's', `<= ${(ideal + 0.25).toFixed(2)} s`, run.seconds <= ideal + 0.25)
    if (run.rssMb !== undefined) record(`live: peak RSS (highest of ${LIVE_RUNS})`, run.rssMb, 'MB', '', null)
    record(`live floor: a bare keep-alive client, same server and calls, whole process, in turns with the live runs (median of ${LIVE_RUNS}: ${floor.all.join(', ')} s)`, floor.seconds, 's', '', null)
    const gaps = run.all.map((seconds, index) => Math.round((seconds - floor.all[index]!) * 1000) / 1000)
    record(`live over its floor, run by run (median of ${LIVE_RUNS}: ${gaps.join(', ')} s)`, median(gaps), 's', '', null)
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
  partials: new Map(),
  warnings: [],
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

const out = { machine: { cores: cpus().length, node: process.version, loadAverage: loadavg() }, measuredAt: new Date().toISOString(), quick, rows }
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(out, null, 2)}\n`)
console.table(rows)
