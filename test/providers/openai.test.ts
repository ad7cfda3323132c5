import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import { OpenAIProvider, retryAfterMs } from '../../src/providers/openai.js'
import { HostPool, defaultReliability } from '../../src/providers/pool.js'
import type { ChatRequest } from '../../src/providers/types.js'
import { startFakeOpenAI, type FakeOpenAIOptions } from '../helpers/openai-server.js'

const KEY = 'sk-test-0123456789abcdefghij'
const MODEL = 'qwen2.5-7b-instruct'
const request: ChatRequest = { model: MODEL, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello to Ada' }] }

function provider(baseURL: string, extra: Partial<ConstructorParameters<typeof OpenAIProvider>[0]> = {}) {
  return new OpenAIProvider({ name: 'vllm', baseURL, apiKey: KEY, apiKeyEnv: 'VLLM_KEY', ...extra })
}

/** A pool over one provider whose sleeps are recorded instead of waited. */
function pool(baseURL: string, extra: Partial<ConstructorParameters<typeof OpenAIProvider>[0]> = {}) {
  const sleeps: number[] = []
  const instance = new HostPool({
    hosts: [baseURL],
    concurrency: 2,
    policy: { ...defaultReliability, retries: 2, baseDelayMs: 100 },
    label: 'Provider "vllm"',
    settings: 'providers.vllm',
    create: (host) => provider(host, extra),
    sleep: async (ms) => {
      sleeps.push(Math.round(ms))
    },
    random: () => 0.5,
  })
  return { pool: instance, sleeps }
}

async function server(options: FakeOpenAIOptions = {}) {
  return startFakeOpenAI({ apiKey: KEY, ...options })
}

afterEach(() => {
  nock.cleanAll()
  nock.enableNetConnect()
})

describe('OpenAIProvider against a loopback OpenAI-compatible server', () => {
  it('streams an answer as server-sent events, with usage, timing, the model and the finish reason', async () => {
    const fake = await server()
    const response = await provider(fake.baseURL).chat({ ...request, options: { temperature: 0.2, top_p: 0.9, seed: 7, num_predict: 64, stop: ['\n\n'] } })
    expect(response).toMatchObject({ content: 'echo: Say hello to Ada', model: MODEL, doneReason: 'stop', usage: { promptTokens: 6, completionTokens: 5 } })
    expect(response.timing.latencyMs).toBeGreaterThan(0)
    expect(response.timing.firstTokenMs).toBeLessThanOrEqual(response.timing.latencyMs)
    const sent = fake.requests[0]!
    expect(sent.authorization).toBe(`Bearer ${KEY}`)
    expect(sent.body).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true }, temperature: 0.2, top_p: 0.9, seed: 7, max_tokens: 64, stop: ['\n\n'] })
    expect(sent.body).not.toHaveProperty('num_predict')
    expect(sent.messages).toEqual(request.messages)
  })

  it('reads one JSON body when streaming is off', async () => {
    const fake = await server()
    const response = await provider(fake.baseURL, { stream: false }).chat(request)
    expect(response).toMatchObject({ content: 'echo: Say hello to Ada', doneReason: 'stop', usage: { promptTokens: 6, completionTokens: 5 } })
    expect(fake.requests[0]!.body).not.toHaveProperty('stream_options')
  })

  it('parses events split at any byte, multi-byte characters included', async () => {
    const answer = 'Grüße, Ada — 你好! '.repeat(20).trim()
    const fake = await server({ respond: () => answer, writeBytes: 13 })
    expect((await provider(fake.baseURL).chat(request)).content).toBe(answer)
  })

  it('sends format as response_format: "json" is JSON mode, a schema is json_schema', async () => {
    const fake = await server({ respond: () => '{"ok": true}' })
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }
    await provider(fake.baseURL).chat({ ...request, format: 'json' })
    await provider(fake.baseURL).chat({ ...request, format: schema })
    expect(fake.requests.map((sent) => sent.body.response_format)).toEqual([{ type: 'json_object' }, { type: 'json_schema', json_schema: { name: 'answer', schema } }])
  })

  it('sends a think level as reasoning_effort, and refuses on or off (set per call by a task) without a request', async () => {
    const fake = await server()
    await provider(fake.baseURL).chat({ ...request, think: 'medium' })
    await provider(fake.baseURL).chat(request)
    expect(fake.requests.map((sent) => sent.body.reasoning_effort)).toEqual(['medium', undefined])
    await expect(provider(fake.baseURL).chat({ ...request, think: true })).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('think: true cannot be sent to Provider "vllm"') })
    expect(fake.requests).toHaveLength(2)
  })

  it('keeps usage empty when the server sends no usage chunk', async () => {
    const fake = await server({ usage: false })
    expect((await provider(fake.baseURL).chat(request)).usage).toEqual({})
  })

  it('stops a streamed answer that can no longer pass, and says why', async () => {
    const fake = await server({ respond: () => 'word '.repeat(400) })
    const response = await provider(fake.baseURL).chat(request, { stopWhen: (partial) => (partial.length > 40 ? 'over 40 characters' : undefined) })
    expect(response).toMatchObject({ cutShort: 'over 40 characters', doneReason: 'cut-short' })
    expect(response.content.length).toBeLessThan(60)
  })

  it('refuses a wrong key once, naming the provider and the variable, with the key nowhere in the message', async () => {
    const fake = await server()
    const { pool: p, sleeps } = pool(fake.baseURL, { apiKey: 'sk-wrong-key-9876543210' })
    const failure = (await p.chat(request).then(() => undefined, (error: unknown) => error)) as Error & { code: string; fix: string }
    expect(failure).toMatchObject({ code: 'ASSAY_PROVIDER_AUTH', status: 401 })
    expect(failure.message).toContain('Provider "vllm"')
    expect(failure.message).toContain('[REDACTED]')
    expect(failure.message).not.toContain('sk-wrong-key')
    expect(failure.fix).toContain('VLLM_KEY')
    // Not retried, and later calls fail at once without asking the server again.
    await expect(p.chat(request)).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_AUTH' })
    expect(fake.received).toBe(1)
    expect(sleeps).toEqual([])
  })

  it('waits as long as a 429 retry-after-ms asks, then passes', async () => {
    let calls = 0
    const fake = await server({ respond: () => (++calls === 1 ? { status: 429, error: 'Rate limit reached', headers: { 'retry-after-ms': '1250', 'retry-after': '2' } } : 'fine') })
    const { pool: p, sleeps } = pool(fake.baseURL)
    expect(await p.chat(request)).toMatchObject({ content: 'fine', retries: 1 })
    expect(sleeps).toEqual([1250])
  })

  it('retries 500s with backoff, then gives up with the server\'s message', async () => {
    const fake = await server({ respond: () => ({ status: 500, error: 'CUDA out of memory' }) })
    const { pool: p, sleeps } = pool(fake.baseURL)
    await expect(p.chat(request)).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_FAILED',
      message: `Provider "vllm" at ${fake.baseURL} failed with HTTP 500: CUDA out of memory (gave up after 3 tries)`,
    })
    expect(sleeps).toEqual([75, 150])
    expect(fake.requests).toHaveLength(3)
  })

  it('retries a stream cut off mid-answer', async () => {
    let calls = 0
    const fake = await server({ respond: () => (++calls === 1 ? { cutAfter: 'Hello there and' } : 'Hello there') })
    await expect(provider(fake.baseURL).chat(request)).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_FAILED', retryable: true, message: expect.stringContaining('broken response') })
    expect(await pool(fake.baseURL).pool.chat(request)).toMatchObject({ content: 'Hello there', retries: 0 })
  })

  it('fails on an error sent inside a 200 stream', async () => {
    const fake = await server({ respond: () => ({ streamError: 'the request exceeds the available context size' }) })
    await expect(provider(fake.baseURL).chat(request)).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_FAILED',
      message: expect.stringContaining('sent an error in its answer: the request exceeds the available context size'),
    })
  })

  it('names a model the server does not serve, without retrying', async () => {
    const fake = await server()
    await expect(pool(fake.baseURL).pool.chat({ ...request, model: 'llama3.2' })).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_MODEL_NOT_FOUND', message: expect.stringContaining('Model "llama3.2"') })
    expect(fake.requests).toHaveLength(1)
  })

  it('cuts off an answer over the byte limit, without retrying', async () => {
    const fake = await server({ respond: () => 'x'.repeat(5000) })
    await expect(provider(fake.baseURL, { maxResponseBytes: 1000 }).chat(request)).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_FAILED', retryable: false, message: expect.stringContaining('sent more than') })
    await expect(provider(fake.baseURL, { maxResponseBytes: 1000, stream: false }).chat(request)).rejects.toMatchObject({ retryable: false })
  })

  it('refuses options that would overwrite the fields assay sets', async () => {
    const fake = await server()
    await expect(provider(fake.baseURL).chat({ ...request, options: { stream: false } })).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('options.stream') })
    expect(fake.requests).toHaveLength(0)
  })

  it('checks that the server answers and serves the model', async () => {
    const fake = await server()
    expect(await provider(fake.baseURL).check(MODEL)).toEqual({ status: 'ok' })
    expect(await provider(fake.baseURL).check('llama3.2')).toMatchObject({ status: 'model-missing', message: expect.stringContaining(`"${MODEL}"`) })
    expect(await provider(fake.baseURL, { apiKey: undefined }).check(MODEL)).toMatchObject({ status: 'unauthorized', fix: expect.stringContaining('VLLM_KEY') })
    expect(await provider('http://127.0.0.1:9/v1').check(MODEL)).toMatchObject({ status: 'unreachable', message: expect.stringContaining('Cannot reach Provider "vllm"') })
  })
})

describe('OpenAIProvider with shapes other servers send (nock)', () => {
  const HOST = 'http://127.0.0.1:8999'
  const sse = (...events: unknown[]) => events.map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`).join('')

  it('keeps reasoning apart from the answer, takes a usage chunk whose choices are null, and llama.cpp timings', async () => {
    nock.disableNetConnect()
    nock(HOST)
      .post('/v1/chat/completions')
      .reply(
        200,
        sse(
          { model: 'm', choices: [{ delta: { reasoning_content: 'Thinking.' }, finish_reason: null }] },
          { model: 'm', choices: [{ delta: { content: 'Done.' }, finish_reason: 'stop' }], timings: { prompt_ms: 12.5, predicted_ms: 80 } },
          { model: 'm', choices: null, usage: { prompt_tokens: 3, completion_tokens: 2 } },
          '[DONE]',
        ),
        { 'content-type': 'text/event-stream' },
      )
    const response = await provider(`${HOST}/v1`).chat(request)
    expect(response).toMatchObject({ content: 'Done.', thinking: 'Thinking.', usage: { promptTokens: 3, completionTokens: 2 }, timing: { promptEvalMs: 12.5, evalMs: 80 } })
  })

  it('treats a stream that ends cleanly but early as broken', async () => {
    nock.disableNetConnect()
    nock(HOST).post('/v1/chat/completions').reply(200, sse({ choices: [{ delta: { content: 'Half an' }, finish_reason: null }] }), { 'content-type': 'text/event-stream' })
    await expect(provider(`${HOST}/v1`).chat(request)).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('ended before its last event') })
  })

  it('reads the error message of vLLM\'s older flat shape and of FastAPI\'s detail', async () => {
    nock.disableNetConnect()
    nock(HOST)
      .post('/v1/chat/completions')
      .reply(400, { object: 'error', message: "This model's maximum context length is 2048 tokens.", type: 'BadRequestError', code: 400 })
      .post('/v1/chat/completions')
      .reply(422, { detail: 'field required: messages' })
    await expect(provider(`${HOST}/v1`).chat(request)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining("HTTP 400: This model's maximum context length is 2048 tokens.") })
    await expect(provider(`${HOST}/v1`).chat(request)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('HTTP 422: field required: messages') })
  })

  it('keeps the start of an error body that breaks off: it is still the best message there is', async () => {
    const broken = createServer((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain', 'content-length': '1000' })
      response.write('overloaded, try later', () => response.destroy())
    })
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve))
    try {
      const port = (broken.address() as AddressInfo).port
      await expect(provider(`http://127.0.0.1:${port}/v1`).chat(request)).rejects.toMatchObject({ retryable: true, status: 503, message: expect.stringContaining('HTTP 503: overloaded, try later') })
    } finally {
      broken.close()
    }
  })

  it('prefers retry-after-ms, then Retry-After in seconds or as a date', () => {
    const now = Date.parse('2026-11-26T00:00:00Z')
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250.5', 'retry-after': '9' }), now)).toBe(250.5)
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000)
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 26 Nov 2026 00:00:05 GMT' }), now)).toBe(5000)
    expect(retryAfterMs(new Headers(), now)).toBeUndefined()
  })
})
