import { readdir, readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/config/load.js'
import type { JudgedSample } from '../../src/results/types.js'
import { runEvals } from '../../src/runner/run.js'
import { startFakeOllama, type FakeOllama, type FakeOllamaOptions } from '../helpers/ollama-server.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
let server: FakeOllama | undefined
const template = `version: "1"
system_prompt: You write.
user_prompt_template: "Write about {{topic}}."
variables:
  - topic: str
`

async function setup(evalSource: string, serverOptions: FakeOllamaOptions, files: Record<string, string> = {}) {
  workspace = await createWorkspace({ 'evals/templates/w/write_v1.yaml': template, 'evals/w.eval.ts': `import { assert, evaluate } from 'assay'\n${evalSource}`, ...files })
  server = await startFakeOllama(serverOptions)
}

async function run(record: 'new' | 'replay' | 'off' = 'new') {
  const config = await resolveConfig(workspace!.root, { flags: { record }, env: { OLLAMA_HOST: server?.host ?? 'http://127.0.0.1:9' } })
  return runEvals({ config })
}

const firstSample = (results: Awaited<ReturnType<typeof run>>) => results.evals[0]!.cases[0]!.samples[0]!
const isRetry = (messages: { content: string }[]) => messages.at(-1)!.content.startsWith('Your answer did not pass')

describe('retryOnFail', () => {
  it('re-asks with the failing checks, records each attempt, and replays the same', async () => {
    await setup(
      `evaluate('w', { template: 'w/write', model: 'llama3.2', retryOnFail: 2, cases: [{ name: 'sea', vars: { topic: 'the sea' } }], assert: [assert.length({ min: 20 })] })`,
      { respond: (r) => (isRetry(r.messages) ? 'The sea is wide and grey and old.' : 'Sea.') },
    )
    const results = await run()
    const sample = firstSample(results) as JudgedSample
    expect(sample).toMatchObject({ status: 'pass', attempts: 2, output: 'The sea is wide and grey and old.' })
    expect(sample.calls.map((c) => c.purpose)).toEqual(['answer', 'answer'])
    expect(server!.requests[1]!.messages).toEqual([
      { role: 'system', content: 'You write.' },
      { role: 'user', content: 'Write about the sea.' },
      { role: 'assistant', content: 'Sea.' },
      { role: 'user', content: 'Your answer did not pass these checks:\n- length >= 20 chars: 4 chars, below the minimum of 20\n\nAnswer again in full, fixing them.' },
    ])
    expect(await readdir(join(workspace!.root, 'fixtures/w'))).toHaveLength(2)
    await server!.close()
    server = undefined
    expect(firstSample(await run('replay'))).toMatchObject({ status: 'pass', attempts: 2, calls: [{ source: 'fixture' }, { source: 'fixture' }] })
  })

  it('gives up after N re-asks and reports the last answer', async () => {
    await setup(`evaluate('w', { template: 'w/write', model: 'llama3.2', retryOnFail: 2, cases: [{ vars: { topic: 'x' } }], assert: [assert.length({ min: 20 })] })`, { respond: () => 'No.' })
    expect(firstSample(await run())).toMatchObject({ status: 'fail', attempts: 3 })
    expect(server!.requests).toHaveLength(3)
  })

  it('does not re-ask for an expensive or advisory check, nor pay the judge for an answer it re-asks', async () => {
    await setup(
      `evaluate('w', { template: 'w/write', model: 'llama3.2', retryOnFail: 1, cases: [{ vars: { topic: 'x' } }],
        assert: [assert.length({ min: 20 }), assert.contains('zzz', { advisory: true }), assert.judge({ rubric: 'Good.' })] })`,
      {
        respond: (r) => {
          if (r.messages[0]!.content.includes('strict, fair grader')) return '{"score": 0.2, "reason": "Weak."}'
          return isRetry(r.messages) ? 'A long enough answer this time.' : 'Short.'
        },
      },
    )
    const sample = firstSample(await run()) as JudgedSample
    expect(sample.calls.map((c) => c.purpose)).toEqual(['answer', 'answer', 'judge'])
    expect(sample).toMatchObject({ status: 'fail', attempts: 2 })
    expect(sample.assertions.map((a) => [a.kind, a.pass])).toEqual([['length', true], ['contains', false], ['judge', false]])
  })
})

describe("stream: 'abort-on-fail'", () => {
  const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')

  it('stops a streamed answer past the limit, records why, and replays the cut answer', async () => {
    await setup(`evaluate('w', { template: 'w/write', model: 'llama3.2', stream: 'abort-on-fail', cases: [{ vars: { topic: 'x' } }], assert: [assert.length({ max: 50, unit: 'words' })] })`, {
      respond: () => long,
    })
    const sample = firstSample(await run()) as JudgedSample
    expect(sample.cutShort).toBe('length <= 50 words: passed 50 words')
    expect(sample.status).toBe('fail')
    const words = sample.output.trim().split(/\s+/).length
    expect(words).toBeGreaterThan(50)
    expect(words).toBeLessThan(70)
    const [file] = await readdir(join(workspace!.root, 'fixtures/w'))
    const fixture = JSON.parse(await readFile(join(workspace!.root, 'fixtures/w', file!), 'utf8'))
    expect(fixture).toMatchObject({ cutoff: 'length <= 50 words', response: { cutShort: 'length <= 50 words: passed 50 words', doneReason: 'cut-short' } })
    await server!.close()
    server = undefined
    expect(firstSample(await run('replay'))).toMatchObject({ cutShort: 'length <= 50 words: passed 50 words', output: sample.output })
  })

  it('keys the fixture on the stop checks, so changing a limit asks again', async () => {
    await setup(`evaluate('w', { template: 'w/write', model: 'llama3.2', stream: 'abort-on-fail', cases: [{ vars: { topic: 'x' } }], assert: [assert.length({ max: 50, unit: 'words' })] })`, {
      respond: () => long,
    })
    await run()
    await workspace!.write('evals/w.eval.ts', `import { assert, evaluate } from 'assay'\nevaluate('w', { template: 'w/write', model: 'llama3.2', stream: 'abort-on-fail', cases: [{ vars: { topic: 'x' } }], assert: [assert.length({ max: 60, unit: 'words' })] })`)
    expect(firstSample(await run('replay'))).toMatchObject({ status: 'error', error: { code: 'ASSAY_FIXTURE_MISSING' } })
  })

  it('lets a complete stream run to the end', async () => {
    await setup(`evaluate('w', { template: 'w/write', model: 'llama3.2', cases: [{ vars: { topic: 'x' } }], assert: [assert.length({ max: 50, unit: 'words' })] })`, { respond: () => long })
    const sample = firstSample(await run('off')) as JudgedSample
    expect(sample.cutShort).toBeUndefined()
    expect(sample.output).toBe(long)
  })
})

describe('templates inside generation', () => {
  const withExamples = `version: "1"
user_prompt_template: "Write about {{topic}}."
variables:
  topic: str
validation:
  min_length: 10
  max_length: 400
  expected_language: "{{language}}"
examples:
  - input: { topic: dragons }
    output: Dragons sleep on gold.
    tags: [fantasy]
  - input: { topic: ships }
    output: Ships creak at anchor.
    tags: [sea]
    genre: adventure
  - input: { topic: clocks }
    output: Clocks tick backwards here.
    tags: [mystery]
`

  it('adds few-shot pairs chosen by shared tags and traits, and the validation block as assertions', async () => {
    await setup(
      `evaluate('w', { template: 'w/write', model: 'llama3.2', cases: [{ name: 'c', vars: { topic: 'storms', language: 'English', genre: 'adventure' }, tags: ['mystery'] }] })`,
      { respond: () => 'Storms roll over the harbour and the boats pull at their ropes all night long.' },
      { 'evals/templates/w/write_v1.yaml': withExamples },
    )
    const sample = firstSample(await run()) as JudgedSample
    expect(server!.requests[0]!.messages).toEqual([
      { role: 'user', content: 'Write about clocks.' },
      { role: 'assistant', content: 'Clocks tick backwards here.' },
      { role: 'user', content: 'Write about ships.' },
      { role: 'assistant', content: 'Ships creak at anchor.' },
      { role: 'user', content: 'Write about storms.' },
    ])
    expect(sample.prompt).toEqual({ system: '', user: 'Write about storms.', examples: 2 })
    expect(sample.assertions.map((a) => [a.name, a.pass])).toEqual([
      ['length 10..400 chars', true],
      ['language English', true],
    ])
  })

  it('sends no examples with maxExamples: 0', async () => {
    await setup(`evaluate('w', { template: 'w/write', model: 'llama3.2', maxExamples: 0, cases: [{ vars: { topic: 'x', language: 'en' } }] })`, {}, { 'evals/templates/w/write_v1.yaml': withExamples })
    await run()
    expect(server!.requests[0]!.messages).toEqual([{ role: 'user', content: 'Write about x.' }])
  })
})

describe('judge calls', () => {
  it('are recorded as fixtures and replay offline with the same verdict', async () => {
    await setup(`evaluate('w', { template: 'w/write', model: 'llama3.2', cases: [{ vars: { topic: 'x' } }], assert: [assert.judge({ rubric: 'On topic.', model: 'judge-model' })] })`, {
      models: ['llama3.2', 'judge-model'],
      respond: (r) => (r.model === 'judge-model' ? '{"score": 0.75, "reason": "On topic."}' : 'About x.'),
    })
    const live = firstSample(await run()) as JudgedSample
    expect(live.calls.map((c) => [c.purpose, c.model, c.source])).toEqual([['answer', 'llama3.2', 'live'], ['judge', 'judge-model', 'live']])
    expect(server!.requests[1]).toMatchObject({ model: 'judge-model', options: { temperature: 0, seed: 42 }, format: { type: 'object' } })
    await server!.close()
    server = undefined
    const replayed = firstSample(await run('replay')) as JudgedSample
    expect(replayed.assertions[0]).toMatchObject({ pass: true, score: 0.75, reason: '0.75 >= 0.7: On topic.' })
    expect(replayed.calls.map((c) => c.source)).toEqual(['fixture', 'fixture'])
  })
})

describe('sample scores', () => {
  it('are weighted means; an advisory failure is scored but does not fail the sample', async () => {
    await setup(
      `evaluate('w', { template: 'w/write', model: 'llama3.2', cases: [{ vars: { topic: 'x' } }],
        assert: [assert.contains('About', { weight: 3 }), assert.contains('zzz', { advisory: true })] })`,
      { respond: () => 'About x.' },
    )
    expect(firstSample(await run())).toMatchObject({ status: 'pass', score: 0.75 })
  })
})
