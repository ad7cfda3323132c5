import nock from 'nock'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Recorder } from '../../src/recording/recorder.js'
import { FixtureStore } from '../../src/recording/store.js'
import { OllamaProvider } from '../../src/providers/ollama.js'
import { HostPool, defaultReliability, type ReliabilityPolicy } from '../../src/providers/pool.js'
import type { ChatRequest } from '../../src/providers/types.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'
import { checkFixtures } from '../../src/recording/check.js'

// nock answers for this address; nothing listens there.
const HOST = 'http://127.0.0.1:11499'
const request: ChatRequest = { model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] }

const chunk = (content: string, done = false) =>
  JSON.stringify({ model: 'llama3.2', created_at: '2026-11-24T00:00:00Z', message: { role: 'assistant', content }, done, ...(done ? { done_reason: 'stop', eval_count: 2, prompt_eval_count: 1 } : {}) })
const goodStream = `${chunk('Hello')}\n${chunk(' there')}\n${chunk('', true)}\n`

function pool(policy: Partial<ReliabilityPolicy> = {}, hosts = [HOST], concurrency = 2) {
  const sleeps: number[] = []
  const instance = new HostPool({
    hosts,
    concurrency,
    policy: { ...defaultReliability, baseDelayMs: 100, ...policy },
    create: (host) => new OllamaProvider(host),
    sleep: async (ms) => {
      sleeps.push(Math.round(ms))
    },
    random: () => 0.5,
  })
  return { pool: instance, sleeps }
}

beforeEach(() => {
  nock.disableNetConnect()
  nock.enableNetConnect('127.0.0.1')
})
afterEach(() => {
  nock.cleanAll()
  nock.enableNetConnect()
})

describe('faults from the server (nock)', () => {
  it('retries 500s with exponential backoff and equal jitter, then passes', async () => {
    const scope = nock(HOST).post('/api/chat').times(2).reply(500, { error: 'llama runner process has terminated' }).post('/api/chat').reply(200, goodStream)
    const { pool: p, sleeps } = pool()
    const response = await p.chat(request)
    expect(response).toMatchObject({ content: 'Hello there', retries: 2 })
    // 100 ms then 200 ms of backoff, each 3/4 of it with random() = 0.5.
    expect(sleeps).toEqual([75, 150])
    expect(scope.isDone()).toBe(true)
  })

  it('waits as long as a 503 Retry-After asks', async () => {
    nock(HOST).post('/api/chat').reply(503, { error: 'server busy' }, { 'Retry-After': '2' }).post('/api/chat').reply(200, goodStream)
    const { pool: p, sleeps } = pool()
    expect(await p.chat(request)).toMatchObject({ content: 'Hello there', retries: 1 })
    expect(sleeps).toEqual([2000])
  })

  it('retries a 429', async () => {
    nock(HOST).post('/api/chat').reply(429, { error: 'too many requests' }).post('/api/chat').reply(200, goodStream)
    expect(await pool().pool.chat(request)).toMatchObject({ retries: 1 })
  })

  it('retries a reset connection', async () => {
    // An Error, as nock's docs ask (nock/nock#2789): a plain object is never emitted on a node:http request.
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    nock(HOST).post('/api/chat').replyWithError(reset).post('/api/chat').reply(200, goodStream)
    expect(await pool().pool.chat(request)).toMatchObject({ content: 'Hello there', retries: 1 })
  })

  it('retries a stream cut mid-line and a line that is not JSON', async () => {
    nock(HOST)
      .post('/api/chat')
      .reply(200, `${chunk('Hel')}\n{"model":"llama3.2","message":{"content":"lo`)
      .post('/api/chat')
      .reply(200, `${chunk('Hi')}\nnot json at all\n`)
      .post('/api/chat')
      .reply(200, goodStream)
    expect(await pool().pool.chat(request)).toMatchObject({ content: 'Hello there', retries: 2 })
  })

  it('keeps only the fields of the final chunk that have the shape a fixture stores', async () => {
    const odd = JSON.stringify({ model: { name: 'x' }, message: { role: 'assistant', content: '' }, done: true, done_reason: 7, prompt_eval_count: '\u001b[2J9', eval_count: -3 })
    nock(HOST).post('/api/chat').reply(200, `${chunk('Hello')}\n${odd}\n`)
    const answer = await pool().pool.chat(request)
    expect(answer).toMatchObject({ content: 'Hello', model: 'llama3.2', doneReason: undefined, usage: { promptTokens: undefined, completionTokens: undefined } })
    nock(HOST).post('/api/chat').reply(200, goodStream)
    expect(await pool().pool.chat(request)).toMatchObject({ model: 'llama3.2', doneReason: 'stop', usage: { promptTokens: 1, completionTokens: 2 } })
  })

  it('times out a slow answer and tries again', async () => {
    nock(HOST).post('/api/chat').delay(500).reply(200, goodStream).post('/api/chat').reply(200, goodStream)
    expect(await pool({ timeoutMs: 50 }).pool.chat(request)).toMatchObject({ content: 'Hello there', retries: 1 })
  })

  it('gives up after the last retry with the server\'s message', async () => {
    nock(HOST).post('/api/chat').times(3).reply(500, { error: 'out of memory' })
    await expect(pool({ retries: 2 }).pool.chat(request)).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_FAILED',
      message: `Ollama at ${HOST} failed with HTTP 500: out of memory (gave up after 3 tries)`,
    })
  })

  it('does not retry a request error: an unknown model, a bad request', async () => {
    const unknown = nock(HOST).post('/api/chat').reply(404, { error: 'model "nope" not found, try pulling it first' })
    await expect(pool().pool.chat({ ...request, model: 'nope' })).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_MODEL_NOT_FOUND', fix: 'Run `ollama pull nope` on that server, or correct the model name.' })
    expect(unknown.isDone()).toBe(true)
    nock(HOST).post('/api/chat').reply(400, { error: 'invalid options' })
    await expect(pool().pool.chat(request)).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_FAILED', message: expect.stringContaining('HTTP 400: invalid options') })
    expect(nock.pendingMocks()).toEqual([])
  })

  it('opens the circuit after repeated failures, so the remaining calls fail at once', async () => {
    const scope = nock(HOST).post('/api/chat').times(4).reply(500, { error: 'dead' })
    const { pool: p } = pool({ retries: 3, breakerFailures: 4 })
    await expect(p.chat(request)).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_FAILED' })
    expect(scope.isDone()).toBe(true)
    await expect(p.chat(request)).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_CIRCUIT_OPEN',
      message: expect.stringContaining('failed 4 times in a row, so the remaining calls fail at once'),
    })
    await expect(p.chat(request)).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_CIRCUIT_OPEN' })
  })

  it("keeps the last failure's fix when the circuit opens: a first live run with no server says to start it", async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    nock(HOST).post('/api/chat').times(4).replyWithError(refused)
    const { pool: p } = pool({ retries: 3, breakerFailures: 4 })
    await expect(p.chat(request)).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_UNREACHABLE' })
    await expect(p.chat(request)).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_CIRCUIT_OPEN',
      message: expect.stringContaining(`The last error: Cannot reach Ollama at ${HOST} (ECONNREFUSED).`),
      fix: 'Start it with `ollama serve`, point OLLAMA_HOST or ollama.host in assay.config.ts at it, or run from fixtures with --record replay. Then run again: fixtures already recorded are kept, and --record new records only the rest.',
    })
  })

  it('never records a broken answer: a fixture is written only for the answer that came whole', async () => {
    const workspace: Workspace = await createWorkspace()
    try {
      nock(HOST).post('/api/chat').reply(200, `${chunk('Hel')}\n`).post('/api/chat').reply(200, goodStream)
      const recorder = new Recorder('new', new FixtureStore(workspace.root, 'fixtures'), () => pool().pool)
      const recorded = await recorder.chat(request, { evalName: 'e', evalFile: 'e.eval.ts', caseId: 'c', sample: 0 })
      expect(recorded).toMatchObject({ source: 'live', retries: 1, response: { content: 'Hello there' } })
      const check = await checkFixtures(workspace.root, 'fixtures')
      expect(check).toMatchObject({ files: [recorded.fixture], invalid: [], leftovers: [] })
      nock(HOST).post('/api/chat').times(4).reply(200, `${chunk('Hel')}\n`)
      await expect(recorder.chat({ ...request, model: 'other' }, { evalName: 'e', evalFile: 'e.eval.ts', caseId: 'd', sample: 0 })).rejects.toMatchObject({ code: 'ASSAY_PROVIDER_FAILED' })
      expect((await checkFixtures(workspace.root, 'fixtures')).files).toHaveLength(1)
    } finally {
      await workspace.remove()
    }
  })
})

describe('faults from the loopback server', () => {
  const servers: FakeOllama[] = []

  it('rides out a server that dies mid-run and comes back', async () => {
    const first = await startFakeOllama()
    const port = Number(new URL(first.host).port)
    const { pool: p } = pool({ retries: 6 }, [first.host])
    expect((await p.chat(request)).content).toBe('echo: Hi')
    await first.close()
    // Restart it on the same port while the next call is still retrying.
    const restarted = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 30))
      servers.push(await startFakeOllama({ port }))
    })()
    const slowPool = new HostPool({ hosts: [first.host], concurrency: 2, policy: { ...defaultReliability, retries: 8, baseDelayMs: 20, maxDelayMs: 50 }, create: (host) => new OllamaProvider(host) })
    const response = await slowPool.chat(request)
    await restarted
    expect(response.content).toBe('echo: Hi')
    expect(response.retries).toBeGreaterThan(0)
  })

  it('spreads calls over several hosts, least busy first, each within its limit', async () => {
    const a = await startFakeOllama({ delayMs: 40 })
    const b = await startFakeOllama({ delayMs: 40 })
    servers.push(a, b)
    const { pool: p } = pool({}, [a.host, b.host], 2)
    await Promise.all(Array.from({ length: 12 }, (_, i) => p.chat({ ...request, messages: [{ role: 'user', content: `m${i}` }] })))
    expect(a.requests).toHaveLength(6)
    expect(b.requests).toHaveLength(6)
    expect(a.maxInFlight).toBe(2)
    expect(b.maxInFlight).toBe(2)
  })

  it('never sends a call cancelled while it waited for a slot', async () => {
    const server = await startFakeOllama({ delayMs: 100 })
    servers.push(server)
    const { pool: p } = pool({}, [server.host], 1)
    const cancel = new AbortController()
    const first = p.chat(request)
    const waiting = p.chat({ ...request, messages: [{ role: 'user', content: 'never sent' }] }, { signal: cancel.signal })
    cancel.abort(new Error('the prompt is too long'))
    await expect(waiting).rejects.toThrow('the prompt is too long')
    expect((await first).content).toBe('echo: Hi')
    expect(server.requests.map((sent) => sent.messages[0]!.content)).toEqual(['Hi'])
  })
})
