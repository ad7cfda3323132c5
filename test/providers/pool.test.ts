import { describe, expect, it } from 'vitest'
import { HostPool, defaultReliability } from '../../src/providers/pool.js'
import type { ChatRequest, ChatResponse, Provider } from '../../src/providers/types.js'

const asking = (content: string): ChatRequest => ({ model: 'llama3.2', messages: [{ role: 'user', content }] })

describe('HostPool', () => {
  it('lets the call waiting for a slot send its request before the caller of the call that freed it goes on', async () => {
    const log: string[] = []
    // As node:http does, the request is written to its socket in a process.nextTick.
    const provider: Provider = {
      host: 'http://127.0.0.1:1',
      check: async () => ({ status: 'ok' }),
      chat: async (request): Promise<ChatResponse> => {
        await new Promise<void>((resolve) =>
          process.nextTick(() => {
            log.push(`request ${request.messages[0]!.content} written`)
            resolve()
          }),
        )
        return { content: 'ok', model: request.model, usage: {}, timing: { latencyMs: 1 } }
      },
    }
    const pool = new HostPool({ hosts: [provider.host], concurrency: 1, policy: defaultReliability, create: () => provider })
    const first = pool.chat(asking('a')).then(() => log.push('answer a processed'))
    const second = pool.chat(asking('b'))
    await Promise.all([first, second])
    expect(log).toEqual(['request a written', 'request b written', 'answer a processed'])
  })
})
