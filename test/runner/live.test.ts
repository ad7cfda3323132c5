import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/config/load.js'
import type { ResolvedConfig, ResolvedProvider } from '../../src/config/schema.js'
import { liveProviders } from '../../src/runner/live.js'
import type { ChatRequest, Provider } from '../../src/providers/types.js'
import { startFakeOpenAI } from '../helpers/openai-server.js'
import { createWorkspace } from '../helpers/workspace.js'

const request: ChatRequest = { provider: 'vllm', model: 'qwen2.5-7b-instruct', messages: [{ role: 'user', content: 'Hi' }] }

async function configWith(vllm: Partial<Extract<ResolvedProvider, { type: 'openai' }>>): Promise<ResolvedConfig> {
  const config = await resolveConfig((await createWorkspace()).root, { env: {} })
  return { ...config, providers: { vllm: { type: 'openai', hosts: [], apiKeyEnv: undefined, headers: {}, stream: true, concurrency: 2, timeoutMs: 10_000, retries: 0, ...vllm } } }
}

describe('liveProviders', () => {
  it('spreads a provider\'s calls over its base URLs, each capped at its concurrency', async () => {
    const servers = [await startFakeOpenAI({ delayMs: 40 }), await startFakeOpenAI({ delayMs: 40 })]
    const live = liveProviders(await configWith({ hosts: servers.map((server) => server.baseURL), concurrency: 2 }))
    const answers = await Promise.all(Array.from({ length: 8 }, () => live.get('vllm').chat(request)))
    expect(answers.every((answer) => answer.content === 'echo: Hi')).toBe(true)
    expect(servers.map((server) => server.requests.length)).toEqual([4, 4])
    expect(servers.map((server) => server.maxInFlight)).toEqual([2, 2])
    expect(live.get('vllm')).toBe(live.get('vllm'))
  })

  it('keeps the ollama settings for calls without a provider, built by the factory given', async () => {
    const built: string[] = []
    const live = liveProviders(await configWith({ hosts: ['http://127.0.0.1:9/v1'] }), (host) => {
      built.push(host)
      return { host, chat: async () => ({ content: 'from ollama', model: 'm', usage: {}, timing: { latencyMs: 1 } }), check: async () => ({ status: 'ok' }) } satisfies Provider
    })
    expect(built).toEqual([])
    expect(await live.get(undefined).chat({ model: 'llama3.2', messages: [] })).toMatchObject({ content: 'from ollama' })
    expect(built).toEqual(['http://127.0.0.1:11434'])
  })

  it('names the variable of a key that is not set, before any request', async () => {
    const server = await startFakeOpenAI()
    const live = liveProviders(await configWith({ hosts: [server.baseURL], apiKeyEnv: 'VLLM_KEY' }), undefined, {})
    expect(() => live.get('vllm')).toThrow(expect.objectContaining({ code: 'ASSAY_PROVIDER_AUTH', fix: expect.stringContaining('export VLLM_KEY=') }))
    expect(server.received).toBe(0)
  })

  it('times out a slow server with a fix that names the provider\'s own setting', async () => {
    const server = await startFakeOpenAI({ delayMs: 500 })
    const live = liveProviders(await configWith({ hosts: [server.baseURL], timeoutMs: 50 }))
    await expect(live.get('vllm').chat(request)).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_TIMEOUT',
      message: expect.stringContaining(`Provider "vllm" at ${server.baseURL} did not finish within 50 ms`),
      fix: expect.stringContaining('providers.vllm.timeoutMs'),
    })
  })
})
