import { readFile, readdir } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { seededRandom } from '../helpers/random.js'
import { basicWorkspace, createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
let server: FakeOllama | undefined
const people = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ name: `p${i}`, vars: { name: `P${i}`, city: 'York' } })).join('\n') + '\n'
const evalWith = (extra: string, assertions = "assert.contains('good')") =>
  `import { assert, evaluate } from 'assay'\nevaluate('greet', { template: 'greeter/greet', model: 'llama3.2', cases: 'golden/people.jsonl', assert: [${assertions}], threshold: 0${extra} })\n`
const results = async (root: string) => JSON.parse(await readFile(join(root, 'reports/results.json'), 'utf8')) as RunResults

describe('repeats that mean something', () => {
  it('give every repeat its own fixture, find flaky cases on a seeded flaky server, and apply the repeat gate', async () => {
    workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people(6), 'evals/greet.eval.ts': evalWith(", repeatGate: { passRate: 0.5 }") })
    const coin = seededRandom(7)
    // p0 always good, p1 never, the others a coin toss per call.
    server = await startFakeOllama({ respond: (r) => {
      const who = /P(\d+)/.exec(r.messages.at(-1)!.content)![1]
      const good = who === '0' ? true : who === '1' ? false : coin() < 0.5
      return good ? 'A good greeting' : 'A bad one'
    } })
    const env = { OLLAMA_HOST: server.host }
    const run = await runCli(['run', '--record', 'new', '--repeat', '4'], { cwd: workspace.root, env })
    expect(run.code).toBe(0)
    expect(await readdir(join(workspace.root, 'fixtures/greet'))).toHaveLength(24)
    const cases = (await results(workspace.root)).evals[0]!.cases
    expect(cases[0]).toMatchObject({ id: 'p0', repeats: { passed: 4, total: 4 }, flaky: false, status: 'pass' })
    expect(cases[1]).toMatchObject({ id: 'p1', repeats: { passed: 0, total: 4 }, flaky: false, status: 'fail' })
    const flaky = cases.filter((c) => c.flaky)
    expect(flaky.length).toBeGreaterThan(0)
    for (const entry of flaky) expect(entry.status).toBe(entry.repeats.passed >= 2 ? 'pass' : 'fail')
    expect(run.stdout).toMatch(/flaky: p\d \(\d\/4\)/)

    const listed = await runCli(['run', '--repeat', '4', '--flaky', '--reporter', 'dot'], { cwd: workspace.root, env: { CI: '1' } })
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain(`Flaky cases (their repeats disagree): ${flaky.length}`)
    for (const entry of flaky) expect(listed.stdout).toContain(`greet > ${entry.id}: ${entry.repeats.passed}/4 repeats passed`)
  })
})

describe('reruns', () => {
  it('--failed runs only what did not pass and keeps the rest; --retry-errors only what errored; --resume only what never ran', async () => {
    workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people(10), 'evals/greet.eval.ts': evalWith('') })
    let answer = (who: number) => (who % 3 === 0 ? 'bad' : 'good')
    server = await startFakeOllama({ respond: (r) => answer(Number(/P(\d+)/.exec(r.messages.at(-1)!.content)![1])) })
    const env = { OLLAMA_HOST: server.host }
    await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env })
    expect(server.requests).toHaveLength(10)

    answer = () => 'good'
    const failed = await runCli(['run', '--record', 'off', '--no-cache', '--failed'], { cwd: workspace.root, env })
    expect(failed.code).toBe(0)
    // p0, p3, p6, p9 failed before: exactly four calls now, and all ten cases in the results.
    expect(server.requests).toHaveLength(14)
    const after = await results(workspace.root)
    expect(after.evals[0]!.cases.map((c) => [c.id, c.status])).toEqual(Array.from({ length: 10 }, (_, i) => [`p${i}`, 'pass']))

    // Errors: a server that refuses p2 and p5 (400s are not retried) errors those two cases only.
    answer = () => 'good'
    await server.close()
    server = await startFakeOllama({ respond: (r) => (/P[25] /.test(r.messages.at(-1)!.content) ? { status: 400, error: 'bad request' } : 'good') })
    await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect((await results(workspace.root)).summary.cases).toMatchObject({ errored: 2, failed: 0 })
    await server.close()
    server = await startFakeOllama({ respond: () => 'good' })
    const retried = await runCli(['run', '--record', 'off', '--no-cache', '--retry-errors'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(retried.code).toBe(0)
    expect(server.requests.map((r) => /P(\d+)/.exec(r.messages.at(-1)!.content)![1])).toEqual(['2', '5'])
    expect((await results(workspace.root)).summary.cases).toMatchObject({ total: 10, passed: 10, errored: 0 })

    const notInterrupted = await runCli(['run', '--resume'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(notInterrupted).toMatchObject({ code: 2, stderr: expect.stringContaining('The last run was not interrupted') })
  })
})

describe('--dry-run', () => {
  it('makes no call, and its counts match what the run then does', async () => {
    workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people(5), 'evals/greet.eval.ts': evalWith('') })
    server = await startFakeOllama({ respond: () => 'good' })
    const env = { OLLAMA_HOST: server.host }
    await runCli(['run', '--record', 'new', '--no-cache'], { cwd: workspace.root, env })
    await workspace.write('golden/people.jsonl', people(8))
    const before = server.requests.length
    const dry = await runCli(['run', '--dry-run', '--record', 'new', '--repeat', '2', '--no-cache'], { cwd: workspace.root, env })
    expect(server.requests.length).toBe(before)
    expect(dry.stdout).toMatch(/greet: 16 calls, 5 in fixtures, 0 in the cache, 11 to the model \(~\d+ prompt tokens, estimated at 4 characters a token\)/)
    const real = await runCli(['run', '--record', 'new', '--repeat', '2', '--no-cache'], { cwd: workspace.root, env })
    expect(real.stdout).toContain('Calls     5 from fixtures, 11 live')
    expect(server.requests.length - before).toBe(11)
  })
})

describe('scorers and fixtures from elsewhere', () => {
  it('take an autoevals-style scorer as an assertion, and report its throw as an error', async () => {
    workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/greet.eval.ts': evalWith(
        '',
        `async function Friendliness({ input, output, expected }) { if (input.name === 'Alan') throw new Error('scorer crashed'); return { score: output.includes('Ada') ? 0.9 : 0.1, metadata: { rationale: 'mentions ' + input.name } } }`,
      ),
    })
    server = await startFakeOllama()
    await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    const [ada, alan] = (await results(workspace.root)).evals[0]!.cases
    expect(ada!.samples[0]).toMatchObject({ status: 'pass', assertions: [{ kind: 'custom', name: 'Friendliness', score: 0.9, reason: 'score 0.9: mentions Ada' }] })
    expect(alan!.samples[0]).toMatchObject({ status: 'error', error: { code: 'ASSAY_ASSERTION_FAILED', message: 'The custom assertion "Friendliness" threw: scorer crashed' } })
  })

  it('redact a secret from every byte of every fixture, and still replay', async () => {
    const secret = 'sk-live-4f9a8b7c6d5e4f3a2b1c'
    workspace = await createWorkspace({
      ...basicWorkspace,
      'golden/people.jsonl': JSON.stringify({ name: 'leak', vars: { name: `Ada (key ${secret})`, city: 'London' } }) + '\n',
      'assay.config.ts': `export default { redact: { patterns: ['sk-live-[a-z0-9]+'] } }\n`,
    })
    server = await startFakeOllama()
    const recorded = await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(recorded.code).toBe(0)
    // The model saw the real prompt; nothing stored holds the secret.
    expect(server.requests[0]!.messages.at(-1)!.content).toContain(secret)
    for (const dir of ['fixtures/greet', ...(await readdir(join(workspace.root, '.assay/cache'))).map((d) => `.assay/cache/${d}`)]) {
      for (const file of await readdir(join(workspace.root, dir))) {
        const bytes = await readFile(join(workspace.root, dir, file), 'utf8')
        expect(bytes).not.toContain(secret)
        expect(bytes).toContain('[REDACTED]')
      }
    }
    await server.close()
    server = undefined
    const replay = await runCli(['run'], { cwd: workspace.root, env: { CI: '1' } })
    expect(replay.code).toBe(0)
    expect(replay.stdout).toContain('Calls     1 from fixtures, 0 live')
  })

  it('warn about a judge that runs unseeded or warm', async () => {
    workspace = await createWorkspace({ ...basicWorkspace, 'evals/greet.eval.ts': evalWith('', "assert.judge({ rubric: 'Friendly.', options: { temperature: 0.7 } })") })
    const run = await runCli(['run', '--dry-run'], { cwd: workspace.root })
    expect(run.code).toBe(0)
    const live = await runCli(['run', '--record', 'replay', '--reporter', 'default'], { cwd: workspace.root, env: { CI: '1' } })
    expect(live.stdout).toContain('warning eval "greet": assert.judge() runs with no fixed seed and temperature 0.7, so its verdicts will flicker between runs; set options: { temperature: 0, seed: 42 }.')
  })
})

describe('--resume', () => {
  it('after Ctrl-C, runs exactly the cases that never finished and keeps the rest', async () => {
    const { startCli } = await import('../helpers/cli.js')
    workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people(30), 'evals/greet.eval.ts': evalWith('') })
    server = await startFakeOllama({ delayMs: 100, respond: () => 'good' })
    const env = { OLLAMA_HOST: server.host }
    const { child, done } = startCli(['run', '--record', 'off', '--no-cache', '--concurrency', '2'], { cwd: workspace.root, env })
    while (server.requests.length < 6) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill('SIGINT')
    expect((await done).code).toBe(130)
    const partial = await results(workspace.root)
    expect(partial.interrupted).toBe(true)
    const finished = partial.evals[0]!.cases.filter((c) => c.status === 'pass').length
    const before = server.requests.length
    const resumed = await runCli(['run', '--record', 'off', '--no-cache', '--resume'], { cwd: workspace.root, env })
    expect(resumed.code).toBe(0)
    expect(server.requests.length - before).toBe(30 - finished)
    const complete = await results(workspace.root)
    expect(complete).toMatchObject({ interrupted: false, summary: { cases: { total: 30, passed: 30 } } })
    expect(complete.evals[0]!.cases.map((c) => c.id)).toEqual(Array.from({ length: 30 }, (_, i) => `p${i}`))
  })
})
