import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import { OllamaProvider } from '../../src/providers/ollama.js'
import { OpenAIProvider } from '../../src/providers/openai.js'
import { HostPool, defaultReliability } from '../../src/providers/pool.js'
import type { Provider } from '../../src/providers/types.js'
import { toolDefinitions } from '../../src/providers/tools.js'
import { z } from 'zod'
import { embed } from '../helpers/embeddings.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { startFakeOpenAI } from '../helpers/openai-server.js'

const tools = toolDefinitions([{ name: 'get_weather', description: 'The forecast for a city', parameters: z.object({ city: z.string(), days: z.int().min(1) }) }], 'test tools')
const calls = [
  { name: 'get_weather', arguments: { city: 'Paris', days: 2 } },
  { name: 'get_weather', arguments: { city: 'Lyon', days: 1 } },
]

afterEach(() => {
  nock.cleanAll()
  nock.enableNetConnect()
})

interface Subject {
  model: string
  embedModel: string
  start(): Promise<{ provider: Provider; embedInputs: () => string[][]; tools: () => unknown[] }>
}

// One contract, run against both kinds of server.
const subjects: Record<string, Subject> = {
  ollama: {
    model: 'llama3.2',
    embedModel: 'nomic-embed-text',
    async start() {
      const server = await startFakeOllama({ models: ['llama3.2', 'nomic-embed-text'], respond: (r) => (r.tools ? { toolCalls: calls } : 'plain text') })
      return {
        provider: new OllamaProvider(server.host),
        embedInputs: () => server.requests.filter((r) => r.endpoint === 'embed').map((r) => r.input!),
        tools: () => server.requests.filter((r) => r.endpoint === 'chat').map((r) => r.tools),
      }
    },
  },
  'openai (stream)': {
    model: 'qwen2.5-7b-instruct',
    embedModel: 'text-embedding-3-small',
    async start() {
      const server = await startFakeOpenAI({ models: ['qwen2.5-7b-instruct', 'text-embedding-3-small'], respond: (r) => (r.body.tools ? { toolCalls: calls } : 'plain text'), writeBytes: 7 })
      return { provider: new OpenAIProvider({ name: 'vllm', baseURL: server.baseURL, apiKey: undefined, apiKeyEnv: undefined }), embedInputs: () => server.embeddings, tools: () => server.requests.map((r) => r.body.tools) }
    },
  },
  'openai (one body)': {
    model: 'qwen2.5-7b-instruct',
    embedModel: 'text-embedding-3-small',
    async start() {
      const server = await startFakeOpenAI({ models: ['qwen2.5-7b-instruct', 'text-embedding-3-small'], respond: (r) => (r.body.tools ? { toolCalls: calls } : 'plain text') })
      return { provider: new OpenAIProvider({ name: 'vllm', baseURL: server.baseURL, apiKey: undefined, apiKeyEnv: undefined, stream: false }), embedInputs: () => server.embeddings, tools: () => server.requests.map((r) => r.body.tools) }
    },
  },
}

describe.each(Object.entries(subjects))('%s provider', (_, subject) => {
  it('embeds several texts in one request, one vector each, in order', async () => {
    const { provider, embedInputs } = await subject.start()
    const texts = ['The cat sleeps on the couch.', 'A feline is napping on the sofa.', 'Stock prices fell.']
    const answer = await provider.embed!({ model: subject.embedModel, input: texts })
    expect(answer.embeddings).toEqual(texts.map(embed))
    expect(answer.model).toBe(subject.embedModel)
    expect(answer.usage.promptTokens).toBeGreaterThan(0)
    expect(embedInputs()).toEqual([texts])
  })

  it('offers tools and returns the calls with their arguments parsed', async () => {
    const { provider, tools: sent } = await subject.start()
    const answer = await provider.chat({ model: subject.model, messages: [{ role: 'user', content: 'Weather in Paris and Lyon?' }], tools })
    expect(answer.toolCalls).toEqual(calls)
    expect(sent()).toEqual([tools])
    const plain = await provider.chat({ model: subject.model, messages: [{ role: 'user', content: 'Hi' }] })
    expect(plain.toolCalls).toBeUndefined()
    expect(plain.content).toBe('plain text')
  })
})

describe('embeddings and tool calls from a hostile or broken server', () => {
  it('keeps arguments that are not a JSON object as text, named, instead of guessing', async () => {
    const server = await startFakeOpenAI({ respond: () => ({ toolCalls: [{ name: 'get_weather', arguments: '{"city": "Par' }] }) })
    const answer = await new OpenAIProvider({ name: 'vllm', baseURL: server.baseURL, apiKey: undefined, apiKeyEnv: undefined }).chat({ model: 'qwen2.5-7b-instruct', messages: [{ role: 'user', content: 'x' }], tools })
    expect(answer.toolCalls).toEqual([{ name: 'get_weather', arguments: {}, invalidArguments: '{"city": "Par' }])
  })

  it('refuses vectors that do not fit the texts, as a broken response worth a retry', async () => {
    nock('http://127.0.0.1:1').post('/api/embed').reply(200, { model: 'e', embeddings: [[0.1, 0.2]] })
    await expect(new OllamaProvider('http://127.0.0.1:1').embed({ model: 'e', input: ['a', 'b'] })).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_FAILED', retryable: true, message: expect.stringContaining('1 vectors for 2 texts') })
    nock('http://127.0.0.1:1').post('/v1/embeddings').reply(200, { data: [{ index: 0, embedding: [0.1, 'x'] }] })
    await expect(new OpenAIProvider({ name: 'p', baseURL: 'http://127.0.0.1:1/v1', apiKey: undefined, apiKeyEnv: undefined }).embed({ model: 'e', input: ['a'] })).rejects.toThrow('a value that is not a finite number')
  })

  it('retries a failed embedding call through the pool, like a chat call', async () => {
    nock('http://127.0.0.1:1').post('/api/embed').reply(503, { error: 'loading model' }).post('/api/embed').reply(200, { model: 'e', embeddings: [[1, 0]], prompt_eval_count: 1 })
    const sleeps: number[] = []
    const pool = new HostPool({ hosts: ['http://127.0.0.1:1'], concurrency: 1, policy: { ...defaultReliability, retries: 2 }, create: (host) => new OllamaProvider(host), sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 })
    const answer = await pool.embed({ model: 'e', input: ['a'] })
    expect(answer).toMatchObject({ embeddings: [[1, 0]], retries: 1 })
    expect(sleeps).toHaveLength(1)
  })
})

describe('toolDefinitions', () => {
  it('converts zod parameters to JSON schema without its $schema line, and keeps JSON schema as given', () => {
    expect(tools[0]!.function.parameters).toEqual({ type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } }, required: ['city', 'days'], additionalProperties: false })
    const json = { type: 'object', properties: { q: { type: 'string' } } }
    expect(toolDefinitions([{ type: 'function', function: { name: 'search', parameters: json } }], 'x')).toEqual([{ type: 'function', function: { name: 'search', parameters: json } }])
  })

  it('names the mistake: a bad name, a name twice, parameters that are not a schema', () => {
    expect(() => toolDefinitions([{ name: 'get weather' }], 'eval "w" tools', 'evals/w.eval.ts')).toThrow(/eval "w" tools: tools\[0\] needs a name of 1 to 64 letters/)
    expect(() => toolDefinitions([{ name: 'a' }, { name: 'a' }], 'eval "w" tools')).toThrow('two tools are named "a"')
    expect(() => toolDefinitions([{ name: 'a', parameters: 'string' as never }], 'eval "w" tools')).toThrow('parameters must be a JSON schema object or a zod schema')
  })
})
