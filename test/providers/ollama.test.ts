import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Ollama } from 'ollama'
import { describe, expect, it } from 'vitest'
import { formatHost, OllamaProvider } from '../../src/providers/ollama.js'
import { defaultReliability, HostPool } from '../../src/providers/pool.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'

let server: FakeOllama | undefined

describe('the loopback Ollama server, through the real ollama client', () => {
  it('answers version, tags, chat and generate, streaming and not', async () => {
    server = await startFakeOllama()
    const client = new Ollama({ host: server.host })
    expect((await client.version()).version).toMatch(/^\d+\.\d+\.\d+$/)
    expect((await client.list()).models.map((m) => m.name)).toEqual(['llama3.2:latest'])
    const chat = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi there' }], stream: false })
    expect(chat).toMatchObject({ message: { content: 'echo: hi there' }, done: true, eval_count: 3, prompt_eval_count: 2 })
    const generated = await client.generate({ model: 'llama3.2', prompt: 'once upon', stream: false })
    expect(generated.response).toBe('echo: once upon')
    let streamed = ''
    for await (const part of await client.generate({ model: 'llama3.2', prompt: 'a b c', stream: true })) streamed += part.response
    expect(streamed).toBe('echo: a b c')
  })
})

describe('OllamaProvider', () => {
  it('streams a chat and reports usage and timing from the final chunk', async () => {
    server = await startFakeOllama({ respond: () => 'The lamp was lit.' })
    const provider = new OllamaProvider(server.host)
    const response = await provider.chat({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'You are the Writer.' },
        { role: 'user', content: 'Write.' },
      ],
      options: { temperature: 0.7, seed: 7 },
      format: { type: 'object', properties: { text: { type: 'string' } } },
    })
    expect(response).toMatchObject({
      content: 'The lamp was lit.',
      model: 'llama3.2',
      doneReason: 'stop',
      usage: { promptTokens: 5, completionTokens: 4 },
      timing: { totalMs: 1250, loadMs: 50, promptEvalMs: 200, evalMs: 1000 },
    })
    expect(response.timing.latencyMs).toBeGreaterThan(0)
    expect(response.timing.firstTokenMs).toBeLessThanOrEqual(response.timing.latencyMs)
    expect(server.requests[0]).toMatchObject({
      endpoint: 'chat',
      stream: true,
      options: { temperature: 0.7, seed: 7 },
      format: { type: 'object' },
      messages: [{ role: 'system' }, { role: 'user', content: 'Write.' }],
    })
  })

  it('turns an unknown model into a message that names it and ollama pull', async () => {
    server = await startFakeOllama()
    await expect(new OllamaProvider(server.host).chat({ model: 'mystery', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_MODEL_NOT_FOUND',
      message: expect.stringContaining('Model "mystery" is not available on http://127.0.0.1:'),
      fix: 'Run `ollama pull mystery` on that server, or correct the model name.',
    })
  })

  it('says how to proceed when no server is listening', async () => {
    server = await startFakeOllama()
    const host = server.host
    await server.close()
    server = undefined
    await expect(new OllamaProvider(host).chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_UNREACHABLE',
      message: `Cannot reach Ollama at ${host} (ECONNREFUSED).`,
      fix: expect.stringContaining('--record replay'),
    })
  })

  it('passes a server error body through with its status', async () => {
    server = await startFakeOllama({ respond: () => ({ status: 500, error: 'llama runner process has terminated' }) })
    await expect(new OllamaProvider(server.host).chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_FAILED',
      message: expect.stringContaining('failed with HTTP 500: llama runner process has terminated'),
    })
  })

  it('stops reading when the caller aborts', async () => {
    server = await startFakeOllama({ delayMs: 200 })
    const controller = new AbortController()
    const pending = new OllamaProvider(server.host).chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toBeDefined()
  })
})

describe('OllamaProvider connections', () => {
  it('keeps them alive: 24 calls, 4 at a time, open no more than 4, even with an answer cut short among them', async () => {
    server = await startFakeOllama({ delayMs: 30, respond: () => 'one two three four five six seven eight nine ten' })
    const pool = new HostPool({ hosts: [server.host], concurrency: 4, policy: defaultReliability, create: (host) => new OllamaProvider(host) })
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => pool.chat({ model: 'llama3.2', messages: [{ role: 'user', content: `call ${i}` }] })))
    expect(answers.map((answer) => answer.content)).toEqual(Array(24).fill('one two three four five six seven eight nine ten'))
    expect(server.requests).toHaveLength(24)
    expect(server.connections).toBeLessThanOrEqual(4)
    // A cut-short answer closes its connection (the generation stops); the next call opens one and is answered.
    const before = server.connections
    const cut = await pool.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] }, { stopWhen: (partial) => (partial.includes('three') ? 'enough' : undefined) })
    expect(cut).toMatchObject({ cutShort: 'enough', doneReason: 'cut-short' })
    const after = await Promise.all(Array.from({ length: 4 }, () => pool.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'y' }] })))
    expect(after.every((answer) => answer.content.endsWith('ten'))).toBe(true)
    expect(server.connections).toBeLessThanOrEqual(before + 1)
  })

  it('reads a host as the official client does', () => {
    expect(formatHost('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434')
    expect(formatHost('localhost')).toBe('http://localhost:11434')
    expect(formatHost('gpu-box:8080/')).toBe('http://gpu-box:8080')
    expect(formatHost(':9000')).toBe('http://127.0.0.1:9000')
    expect(formatHost('https://ollama.example.com')).toBe('https://ollama.example.com:443')
    expect(formatHost('http://proxy.local/ollama/')).toBe('http://proxy.local:80/ollama')
  })

  it('calls a host written with a trailing slash', async () => {
    server = await startFakeOllama()
    // The loopback server answers /api/... only: the slash must not be doubled.
    expect((await new OllamaProvider(`${server.host}/`).chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })).content).toBe('echo: hi')
  })
})

describe('OllamaProvider.check', () => {
  it('tells a served model from a missing one and an unreachable server', async () => {
    server = await startFakeOllama({ models: ['llama3.2', 'qwen3:8b'] })
    const provider = new OllamaProvider(server.host)
    expect(await provider.check('llama3.2')).toEqual({ status: 'ok' })
    expect(await provider.check('qwen3:8b')).toEqual({ status: 'ok' })
    expect(await provider.check('qwen3')).toMatchObject({ status: 'model-missing', fix: 'Run `ollama pull qwen3` on that server, or correct the model name.' })
    expect(await new OllamaProvider('http://127.0.0.1:9').check('llama3.2')).toMatchObject({ status: 'unreachable', message: expect.stringContaining('Cannot reach Ollama at http://127.0.0.1:9') })
  })
})

describe('OllamaProvider.version', () => {
  it("reads the server's version, and cuts one a hostile server makes endless to a readable length", async () => {
    server = await startFakeOllama()
    expect(await new OllamaProvider(server.host).version()).toBe('0.12.6')
    const hostile = createServer((_request, response) => response.end(JSON.stringify({ version: 'x'.repeat(5000) })))
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve))
    try {
      const version = await new OllamaProvider(`http://127.0.0.1:${(hostile.address() as AddressInfo).port}`).version()
      expect(version).toBe(`${'x'.repeat(100)}… (4900 more characters)`)
    } finally {
      hostile.close()
    }
  })
})
