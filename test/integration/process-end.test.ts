import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { join } from 'pathe'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace, type Workspace } from '../helpers/workspace.js'

/**
 * bin/assay.js ends the process as soon as the command's output is out (process.exit, not Node
 * freeing its heap on the way out): nothing written to stdout, stderr or reports/ may be lost.
 */
const bin = fileURLToPath(new URL('../../bin/assay.js', import.meta.url))
let server: FakeOllama | undefined
/** basicWorkspace's first greeter template alone, so `greeter/greet` resolves to it. */
const greeter = { 'evals/templates/greeter/greet_v1.yaml': basicWorkspace['evals/templates/greeter/greet_v1.yaml']! }

afterEach(async () => {
  await server?.close()
  server = undefined
})

/** `cases` cases with 420-character names, each failing `contains`: `--reporter verbose` prints a few lines for each. */
async function failingWorkspace(cases: number): Promise<Workspace> {
  const lines = Array.from({ length: cases }, (_, i) => JSON.stringify({ name: `case-${String(i).padStart(5, '0')}-${'x'.repeat(400)}`, vars: { name: `P${i}` } }))
  return createWorkspace({
    ...greeter,
    'golden/people.jsonl': `${lines.join('\n')}\n`,
    'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', { template: 'greeter/greet', model: 'llama3.2', cases: 'golden/people.jsonl', assert: [assert.contains('never said')] })
`,
  })
}

interface Ended {
  code: number | null
  /** What the slow reader read. */
  read: string
  /** The other stream, read as it came. */
  other: string
}

/**
 * Runs bin/assay.js with `stream` (stdout or stderr) going into a pipe whose reader (a shell's
 * `sleep; cat`) starts reading only after `delayMs`: output past the pipe's 64 KB waits in the
 * process meanwhile. bash's pipefail gives back assay's exit code.
 */
function runWithSlowReader(args: string[], cwd: string, env: Record<string, string>, stream: 'stdout' | 'stderr', delayMs: number): Promise<Ended> {
  const redirect = stream === 'stdout' ? '' : '2>&1 >&3'
  const script = `"$@" ${redirect} | { sleep ${delayMs / 1000}; cat; }`
  const child = spawn('bash', ['-o', 'pipefail', '-c', script, 'bash', process.execPath, bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  })
  let read = ''
  let other = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (read += chunk))
  // stderr, or (fd 3) the stdout that bypasses the slow reader.
  ;(child.stdio[stream === 'stdout' ? 2 : 3] as Readable).setEncoding('utf8').on('data', (chunk: string) => (other += chunk))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, read, other })))
}

describe('the end of a run (bin/assay.js in a process of its own)', () => {
  it('prints everything to a stdout pipe whose reader is slower than the run, and exits 1 for the failing eval', async () => {
    const cases = 400
    const workspace = await failingWorkspace(cases)
    server = await startFakeOllama()
    // The verbose list comes out as the run ends, far over the pipe's 64 KB, before the reader
    // starts: most of it waits in the process, which must not exit without it.
    const ended = await runWithSlowReader(['run', '--record', 'off', '--no-cache', '--reporter', 'verbose', '--reporter', 'json'], workspace.root, { OLLAMA_HOST: server.host }, 'stdout', 2500)
    expect(ended.read.length).toBeGreaterThan(180_000)
    for (let i = 0; i < cases; i++) expect(ended.read).toContain(`✗ case-${String(i).padStart(5, '0')}-`)
    expect(ended.read).toMatch(/ Cases {5}400 failed \(400\)\n Calls {5}0 from fixtures, 400 live\n[^]* Reports {3}reports\/results\.json\n\n$/)
    expect(ended.other).toBe('')
    expect(ended.code).toBe(1)
  }, 60_000)

  it('prints a long stderr to a slow reader too, and exits 2 on a planning mistake', async () => {
    // The eval file writes 2,000 lines to stderr as it loads (console.error goes through the
    // output guard), then names a template that does not exist.
    const workspace = await createWorkspace({
      ...greeter,
      'evals/greet.eval.ts': `import { evaluate } from 'assay'
for (let i = 0; i < 2000; i++) console.error(\`line \${i} \${'z'.repeat(60)}\`)
evaluate('greet', { template: 'greeter/missing', model: 'llama3.2', cases: [{ name: 'ada', vars: { name: 'Ada' } }] })
`,
    })
    const ended = await runWithSlowReader(['run', '--record', 'off'], workspace.root, {}, 'stderr', 1000)
    expect(ended.code).toBe(2)
    expect(ended.other).toBe('')
    expect(ended.read.length).toBeGreaterThan(130_000)
    for (let i = 0; i < 2000; i++) expect(ended.read).toContain(`line ${i} ${'z'.repeat(60)}\n`)
    expect(ended.read).toMatch(/ASSAY_TEMPLATE_NOT_FOUND[^]*\n\n$/)
  }, 60_000)

  it('leaves every report whole and no temporary file when the process has exited', async () => {
    const cases = 300
    const workspace = await failingWorkspace(cases)
    server = await startFakeOllama()
    const ended = await runWithSlowReader(['run', '--record', 'off', '--no-cache'], workspace.root, { OLLAMA_HOST: server.host }, 'stdout', 0)
    expect(ended.code).toBe(1)
    const reports = join(workspace.root, 'reports')
    expect(readdirSync(reports).sort()).toEqual(['index.html', 'junit.xml', 'metrics.jsonl', 'results.json'])
    const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as RunResults
    expect(results.evals[0]!.cases).toHaveLength(cases)
    expect(results.summary.cases).toMatchObject({ total: cases, failed: cases })
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8')
    expect(junit.match(/<testcase /g)).toHaveLength(cases)
    expect(junit.endsWith('</testsuites>\n')).toBe(true)
    expect(readFileSync(join(reports, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line))).toHaveLength(cases)
    expect(readFileSync(join(reports, 'index.html'), 'utf8').endsWith('</html>\n')).toBe(true)
    // The history got this run's record, and the lock is gone.
    expect(readFileSync(join(workspace.root, '.assay/history.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(1)
    expect(readdirSync(join(workspace.root, '.assay/locks'))).toEqual([])
  }, 60_000)

  it('exits 0 for a passing run', async () => {
    const workspace = await createWorkspace({
      ...greeter,
      'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'\nevaluate('greet', { template: 'greeter/greet', model: 'llama3.2', cases: [{ name: 'ada', vars: { name: 'Ada' } }], assert: [assert.contains('Ada')] })\n`,
    })
    server = await startFakeOllama()
    const ended = await runWithSlowReader(['run', '--record', 'off', '--no-cache'], workspace.root, { OLLAMA_HOST: server.host }, 'stdout', 0)
    expect(ended).toMatchObject({ code: 0, other: '' })
    expect(ended.read).toContain(' Cases     1 passed (1)')
  }, 60_000)
})
