import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'pathe'
import { describe, expect, it, vi } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { runCli } from '../helpers/cli.js'
import { settlesWhen, startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { createWorkspace } from '../helpers/workspace.js'

const template = `version: "1"
system_prompt: You summarise chapters.
user_prompt_template: "Summarise: {{text}}"
variables:
  - text: str
`
// A long text of `words` words (five characters each, so about `words` * 5 / 4 estimated tokens), and a short one.
const cases = (words: number) =>
  [JSON.stringify({ name: 'long', vars: { text: 'word '.repeat(words) } }), JSON.stringify({ name: 'short', vars: { text: 'A keeper lights a lamp.' } })].join('\n')
const evalFile = (options: string) => `import { assert, evaluate } from 'assay'
evaluate('summaries', { template: 'writer/summary', model: 'llama3.2', options: ${options}, cases: 'golden/texts.jsonl', assert: [assert.length({ min: 1 })] })
`
const workspaceWith = (options: string, words = 2000) =>
  createWorkspace({ 'evals/templates/writer/summary_v1.yaml': template, 'golden/texts.jsonl': `${cases(words)}\n`, 'evals/summary.eval.ts': evalFile(options) })
const results = async (root: string) => JSON.parse(await readFile(join(root, 'reports/results.json'), 'utf8')) as RunResults
const cacheEntries = async (root: string) => (await readdir(join(root, '.assay/cache'), { recursive: true })).filter((name) => name.endsWith('.json'))

describe('context windows', () => {
  it('fails a prompt over options.num_ctx before any call, naming the template, the sizes and the fix', async () => {
    const workspace = await workspaceWith('{ num_ctx: 2048, num_predict: 256 }')
    const server = await startFakeOllama()
    const run = await runCli(['run', '--record', 'new', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(1)
    // Only the short case reached the server; num_ctx was given, so /api/show was not needed.
    expect(server.requests.map((request) => request.messages.at(-1)!.content)).toEqual(['Summarise: A keeper lights a lamp.'])
    expect(server.shown).toEqual([])
    expect(run.stdout).toContain('ASSAY_CONTEXT_OVERFLOW')
    expect(run.stdout).toContain('(template writer/summary@1) needs ~2509 prompt tokens (estimated at 4 characters a token) + 256 for num_predict = 2765, over the context window of 2048 tokens (options.num_ctx)')
    expect(run.stdout).toContain('Fix: Set options: { num_ctx: 4096 } on the eval or variant')
    const long = (await results(workspace.root)).evals[0]!.cases.find((entry) => entry.id === 'long')!
    expect(long).toMatchObject({ status: 'error', samples: [{ error: { code: 'ASSAY_CONTEXT_OVERFLOW', file: 'evals/summary.eval.ts' }, calls: [] }] })

    // Replay gives the same error rather than a missing fixture: re-recording would not help.
    const replay = await runCli(['run', '--record', 'replay'], { cwd: workspace.root })
    expect(replay.stdout).toContain('ASSAY_CONTEXT_OVERFLOW')
    expect(replay.stdout).not.toContain('ASSAY_FIXTURE_MISSING')
  })

  it('takes the window from /api/show once per model when options.num_ctx is unset', async () => {
    const workspace = await workspaceWith('{ temperature: 0 }')
    const server = await startFakeOllama({ show: { contextLength: 131072, numCtx: 2048 } })
    const run = await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(1)
    expect(server.shown).toEqual(['llama3.2'])
    // The long prompt reached the server only if it left before /api/show answered (its answer, or
    // the cancel, is not taken: the case fails with the overflow all the same).
    expect(server.requests.filter((request) => request.messages.at(-1)!.content.length > 1000).length).toBeLessThanOrEqual(1)
    expect(server.requests.filter((request) => request.messages.at(-1)!.content.length < 1000)).toHaveLength(1)
    expect(run.stdout).toContain('over the context window of 2048 tokens (the Modelfile num_ctx of /api/show)')

    const roomy = await startFakeOllama({ show: { contextLength: 131072 } })
    const fits = await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: roomy.host } })
    expect(fits.code).toBe(0)
    expect(roomy.requests).toHaveLength(2)
  })

  it('sends the first calls while /api/show has not answered, and cancels one the window then shows too long', async () => {
    const workspace = await workspaceWith('{ temperature: 0 }')
    // A slow /api/show: it answers once both prompts have reached the server (or after 5 s, which
    // is when a client that waits for the window before calling would get it).
    let server!: FakeOllama
    const bothSent = settlesWhen(() => server.requests.length === 2, 5000)
    // The long prompt's answer is held back, so it is in flight when the window arrives.
    server = await startFakeOllama({ show: { numCtx: 2048, answerWhen: () => bothSent }, delayMs: (request) => (request.messages.at(-1)!.content.length > 1000 ? 60_000 : 0) })
    const run = await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(1)
    expect(server.timeline.slice(0, 3)).toEqual(['chat received', 'chat received', 'show answered'])
    // The server saw the client hang up on the long prompt; the short one was answered and recorded.
    await vi.waitFor(() => expect(server.hangUps).toBe(1))
    expect(run.stdout).toContain('over the context window of 2048 tokens (the Modelfile num_ctx of /api/show)')
    const [long, short] = (await results(workspace.root)).evals[0]!.cases
    expect(long).toMatchObject({ id: 'long', status: 'error', samples: [{ error: { code: 'ASSAY_CONTEXT_OVERFLOW', file: 'evals/summary.eval.ts' }, calls: [] }] })
    expect(short).toMatchObject({ id: 'short', status: 'pass' })
    // Nothing of the cancelled call is kept: one fixture (the short case's), one cache entry.
    expect(await readdir(join(workspace.root, 'fixtures/summaries'))).toEqual([basename(short!.samples[0]!.calls[0]!.fixture!)])
    expect(await cacheEntries(workspace.root)).toHaveLength(1)
  })

  it('flags an answer whose prompt the server counted far below the estimate as likely truncated', async () => {
    const workspace = await workspaceWith('{ temperature: 0 }', 4000)
    // What Ollama reports after dropping the start of a prompt that did not fit its default window.
    const server = await startFakeOllama({ promptEvalCount: (request) => (request.messages.at(-1)!.content.length > 1000 ? 2048 : 9) })
    const run = await runCli(['run', '--record', 'new', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('likely truncated prompts: long (the server counted far fewer prompt tokens than estimated; set options.num_ctx)')
    const [long, short] = (await results(workspace.root)).evals[0]!.cases
    expect(long!.samples[0]!.calls[0]!.truncated).toBe('the server counted 2048 prompt tokens against ~5009 estimated: the prompt was likely truncated to fit the context window (set options.num_ctx)')
    expect(short!.samples[0]!.calls[0]!.truncated).toBeUndefined()
  })

  it('asks each model of a run that is sure to call live for its window before the first call, and a run that may answer from disk asks nothing', async () => {
    // More cases than workers (16) on llama3.2 first, so qwen3's one case starts only after some llama3.2 calls end.
    const many = Array.from({ length: 20 }, (_, i) => JSON.stringify({ name: `c${i}`, vars: { text: `Lamp ${i}.` } })).join('\n')
    const evals = `import { assert, evaluate } from 'assay'
evaluate('first', { template: 'writer/summary', model: 'llama3.2', cases: 'golden/many.jsonl', assert: [assert.length({ min: 1 })] })
evaluate('second', { template: 'writer/summary', model: 'qwen3', cases: 'golden/texts.jsonl', assert: [assert.length({ min: 1 })] })
`
    const workspace = await createWorkspace({ 'evals/templates/writer/summary_v1.yaml': template, 'golden/many.jsonl': `${many}\n`, 'golden/texts.jsonl': `${cases(10)}\n`, 'evals/summary.eval.ts': evals })
    // What the server had been asked for when it gave its first answer.
    let shownAtFirstAnswer: string[] | undefined
    const server: FakeOllama = await startFakeOllama({ models: ['llama3.2', 'qwen3'], respond: () => ((shownAtFirstAnswer ??= [...server.shown].sort()), 'A keeper lights a lamp.') })
    const live = await runCli(['run', '--record', 'all'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(live.code).toBe(0)
    expect(server.requests[0]!.model).toBe('llama3.2')
    expect(shownAtFirstAnswer).toEqual(['llama3.2', 'qwen3'])
    expect(server.shown.toSorted()).toEqual(['llama3.2', 'qwen3'])

    // Every answer is in the fixtures now: a run in 'new' or 'off' (with the cache) calls no server at all.
    const quiet = await startFakeOllama({ models: ['llama3.2', 'qwen3'] })
    for (const record of ['new', 'off']) {
      const run = await runCli(['run', '--record', record], { cwd: workspace.root, env: { OLLAMA_HOST: quiet.host } })
      expect(run.code).toBe(0)
    }
    expect(quiet.requests).toEqual([])
    expect(quiet.shown).toEqual([])
  })

  it('asks no model for its window in a surely-live run that has nothing to call: a rerun with nothing failed', async () => {
    const workspace = await workspaceWith('{}')
    const server = await startFakeOllama()
    expect((await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    expect(server.shown).toEqual(['llama3.2'])
    const calls = server.requests.length
    const again = await runCli(['run', '--record', 'off', '--no-cache', '--failed'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(again.code).toBe(0)
    expect(server.requests.length).toBe(calls)
    // A lookup no call waits for: against a server that does not answer, it held the process open until it timed out.
    expect(server.shown).toEqual(['llama3.2'])
  })
})

