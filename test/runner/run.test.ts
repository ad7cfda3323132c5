import { readdir } from 'node:fs/promises'
import { join } from 'pathe'
import { beforeEach, describe, expect, it } from 'vitest'
import { resolveConfig, type ConfigLayer } from '../../src/config/load.js'
import { AggregateAssayError } from '../../src/errors.js'
import { runEvals } from '../../src/runner/run.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
let server: FakeOllama | undefined
// run() below reuses the test's workspace once made; each test starts without one.
beforeEach(() => {
  workspace = undefined
  server = undefined
})
async function run(files: Record<string, string>, flags: ConfigLayer = {}, select: { filters?: string[]; namePattern?: string } = {}) {
  workspace ??= await createWorkspace(files)
  const config = await resolveConfig(workspace.root, { flags, env: { OLLAMA_HOST: server?.host ?? 'http://127.0.0.1:9' } })
  return runEvals({ config, ...select })
}

async function errorsOf(promise: Promise<unknown>): Promise<{ code: string; file?: string; message: string; fix?: string }[]> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(AggregateAssayError)
  return (error as AggregateAssayError).errors
}

describe('runEvals', () => {
  it('records against the server, then replays the same results with the server stopped', async () => {
    server = await startFakeOllama()
    const recorded = await run(basicWorkspace, { record: 'new' })
    expect(recorded.status).toBe('pass')
    expect(recorded.summary).toEqual({
      evals: { total: 1, passed: 1, failed: 0 },
      cases: { total: 2, passed: 2, failed: 0, errored: 0 },
      calls: { total: 2, fixture: 0, cache: 0, live: 2 },
      usage: { live: { promptTokens: 16, completionTokens: 10, modelMs: expect.any(Number) }, replayed: { promptTokens: 0, completionTokens: 0, modelMs: 0 } },
    })
    await server.close()
    server = undefined
    const replayed = await run(basicWorkspace, { record: 'replay' })
    expect(replayed.summary.calls).toEqual({ total: 2, fixture: 2, cache: 0, live: 0 })
    // Replayed answers are not spent today, and carry their recorded figures rather than zeros.
    expect(replayed.summary.usage).toEqual({ live: { promptTokens: 0, completionTokens: 0, modelMs: 0 }, replayed: recorded.summary.usage.live })
    const outputs = (r: typeof replayed) => r.evals[0]!.cases.map((c) => (c.samples[0]!.status === 'error' ? undefined : c.samples[0]!.output))
    expect(outputs(replayed)).toEqual(outputs(recorded))
    expect(outputs(replayed)).toEqual(['echo: Greet Ada from London.', 'echo: Greet Alan from Wilmslow.'])
  })

  it('keeps the rendered prompt, the assertions and the call figures in the results', async () => {
    server = await startFakeOllama()
    const results = await run(basicWorkspace, { record: 'new' })
    const evalResult = results.evals[0]!
    expect(evalResult).toMatchObject({ name: 'greet', file: 'evals/greet.eval.ts', template: { name: 'greeter/greet', version: '2' }, model: 'llama3.2', threshold: 1, passRate: 1 })
    const sample = evalResult.cases[0]!.samples[0]!
    expect(sample).toMatchObject({
      status: 'pass',
      score: 1,
      prompt: { system: 'You greet people warmly.', user: 'Greet Ada from London.' },
      assertions: [
        { kind: 'contains', name: 'contains "Greet"', pass: true },
        { kind: 'length', name: 'length <= 200 chars', pass: true },
      ],
      calls: [{ source: 'live', model: 'llama3.2', promptTokens: 8, completionTokens: 5 }],
    })
    expect(server.requests[0]!.messages).toEqual([
      { role: 'system', content: 'You greet people warmly.' },
      { role: 'user', content: 'Greet Ada from London.' },
    ])
  })

  it('caps calls in flight at --concurrency across all evals', async () => {
    server = await startFakeOllama({ delayMs: 40 })
    const cases = JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ vars: { name: `P${i}`, city: 'X' } })))
    const evalFile = (name: string) => `import { evaluate } from 'assay'\nevaluate('${name}', { template: 'greeter/greet', model: 'llama3.2', cases: ${cases} })\n`
    await run({ ...basicWorkspace, 'evals/greet.eval.ts': evalFile('a'), 'evals/other.eval.ts': evalFile('b') }, { record: 'off', concurrency: 3 })
    expect(server.requests).toHaveLength(12)
    expect(server.maxInFlight).toBe(3)
  })

  it('tells reporters about evals in declaration order, whichever finishes first', async () => {
    server = await startFakeOllama({ delayMs: (request) => (request.messages.at(-1)!.content.includes('Slow') ? 150 : 0) })
    const files = {
      ...basicWorkspace,
      'evals/greet.eval.ts': `import { evaluate } from 'assay'
evaluate('slow', { template: 'greeter/greet@1', model: 'llama3.2', cases: [{ vars: { name: 'Slow' } }] })
evaluate('fast', { template: 'greeter/greet@1', model: 'llama3.2', cases: [{ vars: { name: 'Fast' } }] })
`,
    }
    workspace = await createWorkspace(files)
    const config = await resolveConfig(workspace.root, { flags: { record: 'off' }, env: { OLLAMA_HOST: server.host } })
    const heard: string[] = []
    await runEvals({ config, reporters: [{ onCaseEnd: (name) => heard.push(`case of ${name}`), onEvalEnd: (result) => heard.push(result.name) }] })
    expect(heard).toEqual(['case of fast', 'case of slow', 'slow', 'fast'])
  })

  it('gives each repeat its own call and fixture', async () => {
    server = await startFakeOllama()
    const results = await run(basicWorkspace, { record: 'new', repeat: 3 })
    expect(server.requests).toHaveLength(6)
    expect(results.evals[0]!.cases[0]!.samples.map((s) => s.index)).toEqual([0, 1, 2])
    expect(await readdir(join(workspace!.root, 'fixtures/greet'))).toHaveLength(6)
  })

  it('passes an eval when the share of passing cases meets its threshold', async () => {
    server = await startFakeOllama()
    const evalFile = (threshold: number) => `import { assert, evaluate } from 'assay'
evaluate('t', { template: 'greeter/greet', model: 'llama3.2', cases: 'golden/people.jsonl', assert: [assert.contains('Ada')], threshold: ${threshold} })
`
    const half = await run({ ...basicWorkspace, 'evals/greet.eval.ts': evalFile(0.5) }, { record: 'new' })
    expect(half.evals[0]).toMatchObject({ status: 'pass', passRate: 0.5, counts: { cases: 2, passed: 1, failed: 1, errored: 0 } })
    await workspace!.write('evals/greet.eval.ts', evalFile(0.51))
    const more = await run({}, { record: 'replay' })
    expect(more.status).toBe('fail')
    const failing = more.evals[0]!.cases[1]!.samples[0]!
    expect(failing).toMatchObject({ status: 'fail', assertions: [{ pass: false, reason: 'missing "Ada" (0 of 1 found)' }] })
  })

  it('filters eval files by path and evals by -t pattern', async () => {
    server = await startFakeOllama()
    const files = {
      ...basicWorkspace,
      'evals/more.eval.ts': `import { evaluate } from 'assay'
evaluate('alpha one', { template: 'greeter/greet@1', model: 'llama3.2', cases: [{ vars: { name: 'A' } }] })
evaluate('alpha two', { template: 'greeter/greet@1', model: 'llama3.2', cases: [{ vars: { name: 'B' } }] })
`,
    }
    const byFile = await run(files, { record: 'new' }, { filters: ['more'] })
    expect(byFile.evals.map((e) => e.name)).toEqual(['alpha one', 'alpha two'])
    const byName = await run({}, { record: 'new' }, { namePattern: 'two$' })
    expect(byName.evals.map((e) => e.name)).toEqual(['alpha two'])
    await expect(run({}, {}, { namePattern: 'zzz' })).rejects.toMatchObject({ code: 'ASSAY_NO_EVALS' })
    await expect(run({}, {}, { namePattern: '(' })).rejects.toMatchObject({ code: 'ASSAY_USAGE' })
  })

  it('runs a task through the recorded client, and replays it', async () => {
    server = await startFakeOllama({ respond: (r) => `{"upper": "${r.messages.at(-1)!.content.toUpperCase()}"}` })
    const files = {
      'evals/task.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('shout', {
  model: 'llama3.2',
  cases: [{ name: 'hi', vars: { word: 'hi' } }],
  async task({ vars, llm }) {
    const first = await llm.chat({ messages: [{ role: 'user', content: String(vars.word) }], format: 'json' })
    const second = await llm.chat({ messages: [{ role: 'user', content: JSON.parse(first.content).upper + '!' }] })
    return { first: JSON.parse(first.content), second: second.content }
  },
  assert: [assert.contains('HI!')],
})
`,
    }
    const live = await run(files, { record: 'new' })
    expect(live.evals[0]!.cases[0]!.samples[0]).toMatchObject({ status: 'pass', calls: [{ source: 'live' }, { source: 'live' }] })
    expect(server.requests[0]!.format).toBe('json')
    await server.close()
    server = undefined
    const replayed = await run({}, { record: 'replay' })
    expect(replayed.evals[0]!.cases[0]!.samples[0]).toMatchObject({
      status: 'pass',
      output: '{\n  "first": {\n    "upper": "HI"\n  },\n  "second": "{\\"upper\\": \\"HI!\\"}"\n}',
      calls: [{ source: 'fixture' }, { source: 'fixture' }],
    })
  })

  it('marks a case errored when its task throws, names the task and case, and runs the others', async () => {
    const files = {
      'evals/task.eval.ts': `import { evaluate } from 'assay'
evaluate('fragile', {
  cases: [{ name: 'ok', vars: { n: 1 } }, { name: 'bad', vars: { n: 2 } }],
  task: ({ vars }) => { if (vars.n === 2) throw new Error('parser exploded'); return 'fine' },
})
`,
    }
    const results = await run(files, { record: 'off' })
    expect(results.evals[0]!.cases.map((c) => c.status)).toEqual(['pass', 'error'])
    expect(results.evals[0]!.cases[1]!.samples[0]).toMatchObject({
      status: 'error',
      error: { message: expect.stringMatching(/^The task of eval "fragile" threw for case "bad": parser exploded \(at .*task\.eval\.ts/) },
    })
  })

  it('names the eval, case and fix when a task returns what JSON cannot hold, instead of calling it a bug in assay', async () => {
    const files = {
      'evals/task.eval.ts': `import { evaluate } from 'assay'
evaluate('shapes', {
  cases: [{ name: 'plain', vars: { n: 1 } }, { name: 'getter', vars: { n: 2 } }, { name: 'big', vars: { n: 3 } }, { name: 'fn', vars: { n: 4 } }],
  task: ({ vars }) => vars.n === 1 ? { n: 1 } : vars.n === 2 ? { get broken() { throw new Error('getter exploded') } } : vars.n === 3 ? { count: 10n } : () => 'x',
})
`,
    }
    const results = await run(files, { record: 'off' })
    const samples = results.evals[0]!.cases.map((c) => c.samples[0]!)
    expect(samples.map((s) => s.status)).toEqual(['pass', 'error', 'error', 'error'])
    expect(samples[1]).toMatchObject({ error: { code: 'ASSAY_EVAL_INVALID', file: 'evals/task.eval.ts', message: 'The task of eval "shapes" returned a value for case "getter" that cannot be written as JSON: getter exploded.', fix: expect.stringContaining('Return a string, or plain data') } })
    expect(samples[2]).toMatchObject({ error: { message: expect.stringMatching(/^The task of eval "shapes" returned a value for case "big" that cannot be written as JSON: .*BigInt/) } })
    expect(samples[3]).toMatchObject({ error: { message: 'The task of eval "shapes" returned a function for case "fn" that cannot be written as JSON.' } })
  })

  it('fails a case, not the run, when a replayed fixture is missing', async () => {
    const results = await run(basicWorkspace, { record: 'replay' })
    expect(results.summary.cases).toEqual({ total: 2, passed: 0, failed: 0, errored: 2 })
    expect(results.evals[0]!.cases[0]!.samples[0]).toMatchObject({ status: 'error', error: { code: 'ASSAY_FIXTURE_MISSING', file: 'evals/greet.eval.ts' } })
  })

  it('reports an unreachable server per case with the way out, and stops hammering it', async () => {
    const results = await run(basicWorkspace, { record: 'new' })
    const errors = results.evals[0]!.cases.map((c) => (c.samples[0]!.status === 'error' ? c.samples[0]!.error : undefined))
    for (const error of errors) {
      expect(['ASSAY_PROVIDER_UNREACHABLE', 'ASSAY_PROVIDER_CIRCUIT_OPEN']).toContain(error?.code)
      expect(error?.message).toContain('Cannot reach Ollama at http://127.0.0.1:9 (')
      expect(error?.fix).toBeDefined()
    }
  })
})

describe('user mistakes stop the run before any model call, all reported together', () => {
  it('a declared variable missing from a case names the template, the variable and the case', async () => {
    server = await startFakeOllama()
    const errors = await errorsOf(run({ ...basicWorkspace, 'golden/people.jsonl': '{"name": "ada", "vars": {"name": "Ada"}}\n' }))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'ASSAY_TEMPLATE_VARIABLE',
        file: 'evals/templates/greeter/greet_v2.yaml',
        message: 'Case "ada" of eval "greet" is missing variable "city" (str) for template greeter/greet@2.',
      }),
    ])
    expect(server.requests).toHaveLength(0)
  })

  it('duplicate eval names name both files', async () => {
    const errors = await errorsOf(run({ ...basicWorkspace, 'evals/copy.eval.ts': basicWorkspace['evals/greet.eval.ts']! }))
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'ASSAY_EVAL_DUPLICATE',
        message: 'Eval name "greet" is declared 2 times (in evals/copy.eval.ts, evals/greet.eval.ts).',
      }),
    ])
  })

  it('an invalid spec names the field; an unknown template lists the known ones; both at once', async () => {
    const errors = await errorsOf(
      run({
        ...basicWorkspace,
        'evals/bad.eval.ts': `import { evaluate } from 'assay'
evaluate('no model', { template: 'greeter/greet', cases: [] })
evaluate('both', { template: 'greeter/greet', task: () => 'x', model: 'm', cases: [{ vars: {} }], asserts: [] })
`,
        'evals/typo.eval.ts': `import { evaluate } from 'assay'\nevaluate('typo', { template: 'greeter/greeet', model: 'm', cases: [{ vars: {} }] })\n`,
      }),
    )
    expect(errors.map((e) => [e.code, e.file, e.message])).toEqual([
      ['ASSAY_EVAL_INVALID', 'evals/bad.eval.ts', 'Eval "no model" is invalid: model: model is required with a template (e.g. model: "llama3.2").'],
      ['ASSAY_EVAL_INVALID', 'evals/bad.eval.ts', 'Eval "both" is invalid: unknown key "asserts"; give either template or task, not both.'],
      ['ASSAY_TEMPLATE_NOT_FOUND', 'evals/typo.eval.ts', 'Template "greeter/greeet" was not found in evals/templates/.'],
    ])
  })

  it('an eval file that does not compile names the file and the error', async () => {
    const errors = await errorsOf(run({ ...basicWorkspace, 'evals/broken.eval.ts': `import { evaluate } from 'assay'\nevaluate('x', {\n` }))
    expect(errors[0]).toMatchObject({ code: 'ASSAY_EVAL_LOAD_FAILED', file: 'evals/broken.eval.ts' })
  })

  it('an assertion built with bad arguments names the eval file', async () => {
    const errors = await errorsOf(
      run({ ...basicWorkspace, 'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'\nevaluate('x', { template: 'greeter/greet', model: 'm', cases: 'golden/people.jsonl', assert: [assert.length({ min: 9, max: 1 })] })\n` }),
    )
    expect(errors[0]).toMatchObject({ code: 'ASSAY_EVAL_INVALID', file: 'evals/greet.eval.ts', message: 'assert.length(): has min 9 above max 1.' })
  })
})
