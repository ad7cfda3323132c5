import { describe, expect, it } from 'vitest'
import { resolveConfig, type ConfigLayer } from '../../src/config/load.js'
import { runEvals } from '../../src/runner/run.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { startFakeOpenAI } from '../helpers/openai-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const QWEN = 'qwen2.5-7b-instruct'

const verdict = '{"score": 1, "reason": "Fine."}'

async function setup(files: Record<string, string>, respond?: Parameters<typeof startFakeOpenAI>[0]) {
  const ollama = await startFakeOllama({ models: ['llama3.2', 'judge-model'], respond: (request) => (request.format ? verdict : `echo: ${request.messages.at(-1)?.content}`) })
  const vllm = await startFakeOpenAI(respond)
  const workspace = await createWorkspace({
    ...files,
    'assay.config.ts': `export default { providers: { vllm: { type: 'openai', baseURL: '${vllm.baseURL}' } } }\n`,
  })
  const run = async (flags: ConfigLayer) => runEvals({ config: await resolveConfig(workspace.root, { flags, env: { OLLAMA_HOST: ollama.host } }) })
  return { ollama, vllm, run }
}

describe('runEvals with providers', () => {
  it('a task sends each llm.chat() to the provider it names, else to the eval\'s', async () => {
    const { ollama, vllm, run } = await setup({
      'evals/task.eval.ts': `import { evaluate } from 'assay'
evaluate('two servers', {
  model: 'llama3.2',
  cases: [{ name: 'one', vars: { topic: 'tea' } }],
  task: async ({ vars, llm }) => {
    const draft = await llm.chat({ provider: 'vllm', model: '${QWEN}', messages: [{ role: 'user', content: 'Draft on ' + vars.topic }] })
    return (await llm.chat({ messages: [{ role: 'user', content: 'Polish: ' + draft.content }] })).content
  },
})
`,
    })
    const results = await run({ record: 'new' })
    expect(results.evals[0]!.cases[0]!.samples[0]!.calls.map((call) => call.provider)).toEqual(['vllm', undefined])
    expect(vllm.requests.map((request) => request.messages.at(-1)!.content)).toEqual(['Draft on tea'])
    expect(ollama.requests.map((request) => request.messages.at(-1)!.content)).toEqual(['Polish: echo: Draft on tea'])
  })

  it('format and assert.schema work the same on an OpenAI-compatible server', async () => {
    const { vllm, run } = await setup(
      {
        ...basicWorkspace,
        'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
// A Standard Schema by hand: the workspace has no zod of its own.
const titled = { '~standard': { version: 1, vendor: 'test', validate: (value) => (typeof value?.title === 'string' ? { value } : { issues: [{ message: 'no title' }] }) } }
evaluate('json', {
  template: 'greeter/greet',
  provider: 'vllm',
  model: '${QWEN}',
  format: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
  cases: 'golden/people.jsonl',
  assert: [assert.schema(titled)],
})
`,
      },
      { respond: (request) => (request.body.response_format ? '{"title": "Tea"}' : 'no JSON asked for') },
    )
    const results = await run({ record: 'new' })
    expect(results.status).toBe('pass')
    expect(vllm.requests.map((request) => request.body.response_format)).toEqual(Array(2).fill({ type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] } } }))
  })

  it('the cache answers a repeated call to the same provider without asking it again', async () => {
    const files = {
      'evals/cache.eval.ts': `import { evaluate } from 'assay'
evaluate('cached', {
  model: '${QWEN}',
  provider: 'vllm',
  cases: [{ name: 'one', vars: {} }],
  task: async ({ llm }) => (await llm.chat({ messages: [{ role: 'user', content: 'Hi' }] })).content,
})
`,
    }
    const { vllm, run } = await setup(files)
    expect((await run({ record: 'off' })).summary.calls).toMatchObject({ live: 1, cache: 0 })
    expect((await run({ record: 'off' })).summary.calls).toMatchObject({ live: 0, cache: 1 })
    expect(vllm.requests).toHaveLength(1)
  })

  it('a judge without a provider runs on the variant\'s when it takes the variant\'s model, else on the eval\'s', async () => {
    const { ollama, vllm, run } = await setup(
      {
        ...basicWorkspace,
        'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', {
  template: 'greeter/greet',
  cases: 'golden/people.jsonl',
  assert: [
    assert.judge({ rubric: 'Same model as the answer.', options: { temperature: 0, seed: 1 } }),
    assert.judge({ rubric: 'One judge for both variants.', model: 'judge-model', options: { temperature: 0, seed: 1 } }),
  ],
  variants: {
    local: { model: 'llama3.2' },
    gpu: { provider: 'vllm', model: '${QWEN}' },
  },
})
`,
      },
      // Each answer names its prompt: two cases answered alike would send judge-model the same
      // request twice, and the second could replay the first's fresh fixture (5 requests, not 6).
      { respond: (request) => (request.body.response_format ? verdict : `an answer to ${request.messages.at(-1)?.content ?? ''}`) },
    )
    const results = await run({ record: 'new' })
    expect(results.status).toBe('pass')
    const judges = (variant: string) =>
      results.evals[0]!.cases.filter((entry) => entry.variant === variant).flatMap((entry) => entry.samples[0]!.calls.filter((call) => call.purpose === 'judge').map((call) => `${call.provider ?? 'ollama'} ${call.model}`))
    expect(judges('local')).toEqual(Array(2).fill(['ollama llama3.2', 'ollama judge-model']).flat())
    expect(judges('gpu')).toEqual(Array(2).fill([`vllm ${QWEN}`, 'ollama judge-model']).flat())
    expect(vllm.requests.filter((request) => request.body.response_format)).toHaveLength(2)
    expect(ollama.requests.filter((request) => request.format)).toHaveLength(6)
  })

  it('think: a level goes to an OpenAI-compatible server as reasoning_effort; on or off is refused before any call, naming the field', async () => {
    const variants = (lightThink: string) => `import { evaluate } from 'assay'
evaluate('reasoning', {
  template: 'greeter/greet',
  model: 'llama3.2',
  think: true,
  cases: 'golden/people.jsonl',
  variants: { local: {}, deep: { provider: 'vllm', model: '${QWEN}', think: 'high' }, light: { provider: 'vllm', model: '${QWEN}', think: ${lightThink} } },
})
`
    const levels = await setup({ ...basicWorkspace, 'evals/reasoning.eval.ts': variants("'low'") })
    expect((await levels.run({ record: 'new' })).status).toBe('pass')
    expect(levels.vllm.requests.map((request) => request.body.reasoning_effort).sort()).toEqual(['high', 'high', 'low', 'low'])
    // Ollama takes on and off as they are (the workspace's greet eval sends no think).
    expect(levels.ollama.requests.map((request) => String(request.think)).sort()).toEqual(['true', 'true', 'undefined', 'undefined'])

    const onOff = await setup({
      ...basicWorkspace,
      'evals/reasoning.eval.ts': variants('false'),
      'evals/whole.eval.ts': `import { evaluate } from 'assay'
evaluate('whole', { template: 'greeter/greet', provider: 'vllm', model: '${QWEN}', think: true, cases: 'golden/people.jsonl' })
`,
    })
    await expect(onOff.run({ record: 'new' })).rejects.toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({ code: 'ASSAY_EVAL_INVALID', file: 'evals/reasoning.eval.ts', message: expect.stringContaining('variants.light.think is false, but provider "vllm" is OpenAI-compatible') }),
        expect.objectContaining({ code: 'ASSAY_EVAL_INVALID', file: 'evals/whole.eval.ts', message: expect.stringContaining('": think is true, but provider "vllm"') }),
      ]),
    })
    expect(onOff.vllm.requests).toHaveLength(0)
    expect(onOff.ollama.requests).toHaveLength(0)
  })
})
