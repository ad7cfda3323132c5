import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/config/load.js'
import { AggregateAssayError, isAssayError } from '../../src/errors.js'
import { fixtureKey } from '../../src/recording/key.js'
import { FixtureStore } from '../../src/recording/store.js'
import { runEvals } from '../../src/runner/run.js'
import { TemplateLibrary } from '../../src/templates/library.js'
import { runCli } from '../helpers/cli.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'
import { seededRandom } from '../helpers/random.js'

const random = seededRandom

const JUNK = ['', '\u0000', '{', '}', '[', ']', ':', '"', "'", '-', '\n', '  ', '{{', '}}', '{{#if', '@', 'null', '1e999', '\uFFFD', '🐉', 'true', '---', '\t', '&', '<script>']

/** A text with a few random edits: cut short, junk inserted, a span deleted or doubled. */
function mutate(text: string, next: () => number): string {
  let out = text
  const edits = 1 + Math.floor(next() * 3)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1))
    const kind = Math.floor(next() * 4)
    if (kind === 0) out = out.slice(0, at)
    else if (kind === 1) out = out.slice(0, at) + JUNK[Math.floor(next() * JUNK.length)] + out.slice(at)
    else if (kind === 2) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 20))
    else out = out.slice(0, at) + out.slice(at, at + 15) + out.slice(at)
  }
  return out
}

const VALUES: unknown[] = [undefined, null, 0, -1, 1.5, 1e9, '', 'x', 'llama3.2', [], [1], {}, { a: 1 }, true, 'golden/nope.jsonl', [{ vars: {} }], [{ vars: 'x' }], 'greeter/greet', 'greeter/greet@9']

/** A random eval spec: known keys with values of any type, and now and then an unknown key. */
function randomSpec(next: () => number): Record<string, unknown> {
  const keys = ['template', 'task', 'model', 'options', 'format', 'cases', 'repeat', 'assert', 'threshold', 'retryOnFail', 'stream', 'maxExamples', 'variants', 'asserts']
  const spec: Record<string, unknown> = { template: 'greeter/greet', model: 'llama3.2', cases: [{ vars: { name: 'A', city: 'B' } }] }
  for (const key of keys) if (next() < 0.3) spec[key] = VALUES[Math.floor(next() * VALUES.length)]
  return spec
}

/** Only errors a user can act on are allowed: an AssayError, or several. */
function expectClearError(error: unknown): void {
  if (error === undefined) return
  const errors = error instanceof AggregateAssayError ? error.errors : [error]
  for (const item of errors) {
    expect(isAssayError(item), `not a user error: ${(item as Error)?.stack ?? String(item)}`).toBe(true)
    expect((item as Error).message.length).toBeGreaterThan(10)
  }
}

const RUNS = 40
// Each spec is a whole run (load, plan, replay), so fewer of them.
const SPEC_RUNS = 20

describe('seeded fuzzing: malformed input gives a clear error, never a crash', () => {
  it(`templates (${RUNS} mutations)`, async () => {
    const next = random(11)
    const workspace = await createWorkspace()
    try {
      for (let i = 0; i < RUNS; i++) {
        await workspace.write(`t${i}/greet_v1.yaml`, mutate(basicWorkspace['evals/templates/greeter/greet_v2.yaml']!.replace('version: "2"', 'version: "1"'), next))
        const library = await TemplateLibrary.open(workspace.root, '.')
        const error = await library.resolve(`t${i}/greet`, 'e.eval.ts').then(() => undefined, (e: unknown) => e)
        expectClearError(error)
      }
    } finally {
      await workspace.remove()
    }
  })

  it(`eval specs (${SPEC_RUNS} random specs)`, async () => {
    const next = random(12)
    const workspace = await createWorkspace(basicWorkspace)
    try {
      const config = await resolveConfig(workspace.root, { flags: { record: 'replay', cache: { enabled: false } }, env: {} })
      for (let i = 0; i < SPEC_RUNS; i++) {
        const spec = randomSpec(next)
        await workspace.write('evals/greet.eval.ts', `import { evaluate } from 'assay'\nevaluate('fuzz ${i}', ${JSON.stringify(spec)})\n`)
        const error = await runEvals({ config, reporters: [] }).then(() => undefined, (e: unknown) => e)
        expectClearError(error)
      }
    } finally {
      await workspace.remove()
    }
  })

  it(`configs (${RUNS} mutations)`, async () => {
    const next = random(13)
    const workspace = await createWorkspace()
    const valid = `export default ${JSON.stringify({ include: ['evals/**/*.eval.ts'], concurrency: 4, record: 'new', ollama: { host: 'http://127.0.0.1:11434', retries: 2 }, cache: { ttl: '1d' } })}\n`
    try {
      for (let i = 0; i < RUNS; i++) {
        await workspace.write('assay.config.ts', mutate(valid, next))
        const error = await resolveConfig(workspace.root, { env: {} }).then(() => undefined, (e: unknown) => e)
        expectClearError(error)
      }
    } finally {
      await workspace.remove()
    }
  })

  it(`fixture files (${RUNS} mutations)`, async () => {
    const next = random(14)
    const workspace = await createWorkspace()
    // The real hash of the request below, so the unmutated file is a valid fixture.
    const key = fixtureKey({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, 0)
    const valid = JSON.stringify(
      { schema: 1, key, eval: 'e', case: 'c', sample: 0, recordedAt: 'now', request: { model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, response: { content: 'Hello', model: 'm', usage: {}, timing: { latencyMs: 1 } } },
      null,
      2,
    )
    try {
      const store = new FixtureStore(workspace.root, 'fixtures')
      for (let i = 0; i < RUNS; i++) {
        await workspace.write(`fixtures/e/${key}.json`, mutate(valid, next))
        const error = await store.read('e', key).then(() => undefined, (e: unknown) => e)
        expectClearError(error)
      }
    } finally {
      await workspace.remove()
    }
  })

  it('through the real CLI: exit 2 and a paragraph, never a stack trace', async () => {
    const next = random(15)
    const workspace = await createWorkspace(basicWorkspace)
    try {
      for (let i = 0; i < 5; i++) {
        await workspace.write('evals/templates/greeter/greet_v2.yaml', mutate(basicWorkspace['evals/templates/greeter/greet_v2.yaml']!, next))
        await workspace.write('assay.config.ts', next() < 0.5 ? `export default { concurrency: ${JSON.stringify(VALUES[i])} }\n` : 'export default {}\n')
        const run = await runCli(['run', '--record', 'replay'], { cwd: workspace.root })
        expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
        expect(run.stderr).not.toContain('unexpected error')
        expect([0, 1, 2]).toContain(run.code)
      }
    } finally {
      await workspace.remove()
    }
  })
})
