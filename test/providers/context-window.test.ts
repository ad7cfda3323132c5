import { describe, expect, it } from 'vitest'
import { ContextWindows, contextLengthFromShow, estimatePromptTokens, overflow, sendsBeforeWindow, suggestedNumCtx, truncationNote } from '../../src/providers/context-window.js'

describe('context windows', () => {
  it('estimates prompt tokens at four characters a token over every message', () => {
    expect(estimatePromptTokens([{ role: 'system', content: 'a'.repeat(10) }, { role: 'user', content: 'b'.repeat(7) }])).toBe(5)
  })

  it('reads the Modelfile num_ctx from /api/show before the trained context length', () => {
    const model_info = { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768 }
    expect(contextLengthFromShow({ parameters: 'num_ctx                        8192\nstop "<|im_end|>"', model_info })).toEqual({ tokens: 8192, source: 'the Modelfile num_ctx of /api/show' })
    expect(contextLengthFromShow({ parameters: 'stop "<|im_end|>"', model_info })).toEqual({ tokens: 32768, source: 'qwen2.context_length of /api/show' })
    expect(contextLengthFromShow({ model_info: new Map(Object.entries(model_info)) })?.tokens).toBe(32768)
    expect(contextLengthFromShow({})).toBeUndefined()
  })

  it('takes options.num_ctx without asking the server, and asks /api/show once per model otherwise', async () => {
    const asked: string[] = []
    const windows = new ContextWindows(async (model) => {
      asked.push(model)
      return { model_info: { 'llama.context_length': 4096 } }
    })
    expect(await windows.limit('llama3.2', { num_ctx: 1024 })).toEqual({ tokens: 1024, source: 'options.num_ctx' })
    expect(windows.fromOptions({ num_ctx: 1024 })).toEqual({ tokens: 1024, source: 'options.num_ctx' })
    expect(windows.fromOptions(undefined)).toBeUndefined()
    expect(asked).toEqual([])
    expect(await windows.limit('llama3.2', undefined)).toEqual({ tokens: 4096, source: 'llama.context_length of /api/show' })
    expect(await windows.limit('llama3.2', { temperature: 0 })).toEqual({ tokens: 4096, source: 'llama.context_length of /api/show' })
    expect(asked).toEqual(['llama3.2'])
  })

  it('knows a window without waiting once /api/show has answered, and starts the lookup when it has not', async () => {
    const asked: string[] = []
    let answer!: () => void
    const windows = new ContextWindows(async (model) => {
      asked.push(model)
      await new Promise<void>((resolve) => (answer = resolve))
      return { model_info: { 'llama.context_length': 4096 } }
    })
    expect(windows.known('llama3.2', { num_ctx: 1024 })).toEqual({ limit: { tokens: 1024, source: 'options.num_ctx' } })
    expect(asked).toEqual([])
    expect(windows.known('llama3.2', undefined)).toBeUndefined()
    expect(asked).toEqual(['llama3.2'])
    expect(windows.known('llama3.2', undefined)).toBeUndefined()
    answer()
    await windows.limit('llama3.2', undefined)
    expect(windows.known('llama3.2', undefined)).toEqual({ limit: { tokens: 4096, source: 'llama.context_length of /api/show' } })
    expect(asked).toEqual(['llama3.2'])
    // No lookup at all (no server to ask): known, and unknown.
    expect(new ContextWindows().known('llama3.2', undefined)).toEqual({ limit: undefined })
  })

  it('sends a call before its window is known to any Ollama but the cloud, which counts every request sent', () => {
    expect(sendsBeforeWindow('http://127.0.0.1:11434', 'llama3.2')).toBe(true)
    expect(sendsBeforeWindow('http://gpu-box:11434, http://127.0.0.1:11434', 'qwen3:8b')).toBe(true)
    expect(sendsBeforeWindow('https://ollama.com', 'gpt-oss:120b')).toBe(false)
    expect(sendsBeforeWindow('http://127.0.0.1:11434, https://ollama.com/', 'gpt-oss:120b')).toBe(false)
    expect(sendsBeforeWindow('http://127.0.0.1:11434', 'gpt-oss:120b-cloud')).toBe(false)
    expect(sendsBeforeWindow('http://127.0.0.1:11434', 'glm-4.6:cloud')).toBe(false)
    expect(sendsBeforeWindow('http://127.0.0.1:11434', 'cloudy:latest')).toBe(true)
    expect(sendsBeforeWindow('https://ollama.company.internal', 'llama3.2')).toBe(true)
  })

  it('treats a failed /api/show as an unknown limit', async () => {
    const windows = new ContextWindows(() => Promise.reject(new Error('connection refused')))
    expect(await windows.limit('llama3.2', undefined)).toBeUndefined()
  })

  it('counts num_predict against the window and suggests a power of two that holds the whole request', () => {
    const limit = { tokens: 2048, source: 'options.num_ctx' }
    expect(overflow(2000, false, { num_predict: 40 }, limit)).toBeUndefined()
    expect(overflow(2000, false, { num_predict: 100 }, limit)).toEqual({ promptTokens: 2000, exact: false, numPredict: 100, limit })
    expect(overflow(2049, true, { num_predict: -1 }, limit)).toMatchObject({ numPredict: 0 })
    expect(overflow(1e6, false, undefined, undefined)).toBeUndefined()
    expect([suggestedNumCtx(100), suggestedNumCtx(2049), suggestedNumCtx(8192)]).toEqual([2048, 4096, 8192])
  })

  it('flags a long prompt the server counted at under half the estimate, and nothing else', () => {
    expect(truncationNote(6000, 2048)).toMatch(/counted 2048 prompt tokens against ~6000 estimated: the prompt was likely truncated/)
    expect(truncationNote(6000, 5200)).toBeUndefined()
    expect(truncationNote(6000, undefined)).toBeUndefined()
    // Short prompts are dominated by the chat template's tokens and never truncated by a default window.
    expect(truncationNote(300, 20)).toBeUndefined()
  })
})
