import { readdir, readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { runCli, spawnCli, type CliRun } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { startFakeOpenAI, type ReceivedCompletion } from '../helpers/openai-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const KEY = 'sk-assay-test-3f9c1a7e5b2d4c6e8a0f'
const QWEN = 'qwen2.5-7b-instruct'

const people = Array.from({ length: 8 }, (_, i) => JSON.stringify({ name: `p${i}`, vars: { name: `P${i}`, city: 'York' } })).join('\n') + '\n'

/** One variant on the default Ollama, one on the vLLM provider; the judge runs on vLLM for both. */
const mixedEval = `import { assert, evaluate } from 'assay'

evaluate('greet', {
  template: 'greeter/greet@2',
  options: { temperature: 0, seed: 7 },
  cases: 'golden/people.jsonl',
  assert: [
    assert.contains('Greet'),
    assert.judge({ rubric: 'The greeting is friendly.', provider: 'vllm', model: '${QWEN}', min: 0.5 }),
  ],
  variants: {
    local: { model: 'llama3.2' },
    gpu: { provider: 'vllm', model: '${QWEN}' },
  },
})
`

const config = (baseURL: string) => `export default {
  providers: {
    vllm: { type: 'openai', baseURL: '${baseURL}', apiKeyEnv: 'VLLM_KEY', concurrency: 3 },
  },
}
`

/**
 * A hostile GPU server: judges get a verdict; answers quote the Authorization header they came
 * with, and pass \`contains('Greet')\` for every other case only.
 */
function gpuAnswer(request: ReceivedCompletion): string {
  if (request.body.response_format) return '{"score": 0.9, "reason": "Warm enough."}'
  const prompt = request.messages.at(-1)?.content ?? ''
  const index = Number(/P(\d+)/.exec(prompt)?.[1] ?? 0)
  return `${index % 2 === 0 ? 'Greetings' : 'Hello'}, friend (${request.authorization}).`
}

/** Every file under root whose bytes hold the text. */
async function filesHolding(root: string, text: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if ((await readFile(path)).includes(text)) found.push(path.slice(root.length + 1))
  }
  return found
}

const results = async (root: string) => JSON.parse(await readFile(join(root, 'reports/results.json'), 'utf8')) as RunResults

describe('an eval over two providers (the real CLI)', () => {
  it('records live from Ollama and an OpenAI-compatible server, replays with no server, and compares the two', async () => {
    const ollama = await startFakeOllama()
    const vllm = await startFakeOpenAI({ apiKey: KEY, respond: gpuAnswer })
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people, 'evals/greet.eval.ts': mixedEval, 'assay.config.ts': config(vllm.baseURL) })
    const outputs: CliRun[] = []
    // The API key is read from the process's environment when a call needs it: a process of its own.
    const cli = async (args: string[], env: Record<string, string> = {}) => {
      const run = await spawnCli(args, { cwd: workspace.root, env })
      outputs.push(run)
      return run
    }

    const recorded = await cli(['run', '--record', 'new'], { OLLAMA_HOST: ollama.host, VLLM_KEY: KEY })
    // The gpu variant fails half its cases: a failing run, exit 1.
    expect(recorded.code).toBe(1)
    const live = await results(workspace.root)
    const [evalResult] = live.evals
    expect(evalResult!.variants!.map((variant) => [variant.name, variant.passRate])).toEqual([
      ['local', 1],
      ['gpu', 0.5],
    ])
    const passRate = evalResult!.comparisons.find((comparison) => comparison.metric === 'pass rate')!
    expect(passRate).toMatchObject({ baseline: 'local', variant: 'gpu', n: 8, difference: -0.5 })
    // Every gpu answer and every judge call went to vLLM with the key; the local answers to Ollama.
    expect(ollama.requests).toHaveLength(8)
    expect(vllm.requests.filter((request) => request.model === QWEN)).toHaveLength(8 + 16)
    expect(vllm.requests.every((request) => request.authorization === `Bearer ${KEY}`)).toBe(true)
    const calls = evalResult!.cases.flatMap((entry) => entry.samples.flatMap((sample) => sample.calls.map((call) => ({ variant: entry.variant, ...call }))))
    expect(calls.every((call) => call.source === 'live')).toBe(true)
    expect(calls.filter((call) => call.provider === 'vllm')).toHaveLength(24)
    expect(calls.filter((call) => call.provider === undefined).map((call) => call.variant)).toEqual(Array(8).fill('local'))
    const gpuCall = calls.find((call) => call.variant === 'gpu' && call.purpose === 'answer')!
    expect(gpuCall).toMatchObject({ model: QWEN, promptTokens: expect.any(Number), completionTokens: 4 })
    // Fixtures name the provider of the calls that had one; the key in the answer is redacted.
    const gpuFixture = JSON.parse(await readFile(join(workspace.root, gpuCall.fixture!), 'utf8'))
    expect(gpuFixture.request.provider).toBe('vllm')
    expect(gpuFixture.response.content).toMatch(/\(Bearer \[REDACTED\]\)\.$/)
    expect((await cli(['fixtures', 'check'])).code).toBe(0)

    // --dry-run counts what each provider would be asked, and then finds every call recorded.
    const before = await runCli(['run', '--dry-run', '--record', 'all'], { cwd: workspace.root })
    expect(before.stdout).toContain('greet: 16 calls, 0 in fixtures, 0 in the cache, 16 to the model (ollama 8, vllm 8)')

    const dry = await cli(['run', '--dry-run', '--record', 'new'])
    expect(dry.stdout).toContain('greet: 16 calls, 16 in fixtures, 0 in the cache, 0 to the model')

    // Replay: no server and no key at all.
    await ollama.close()
    await vllm.close()
    const replayed = await cli(['run', '--record', 'replay'], { CI: 'true' })
    expect(replayed.code).toBe(1)
    const offline = await results(workspace.root)
    expect(offline.evals[0]!.cases.flatMap((entry) => entry.samples.flatMap((sample) => sample.calls)).every((call) => call.source === 'fixture')).toBe(true)
    expect(offline.evals[0]!.variants!.map((variant) => variant.passRate)).toEqual([1, 0.5])
    expect(offline.evals[0]!.comparisons.find((comparison) => comparison.metric === 'pass rate')).toMatchObject({ verdict: passRate.verdict, pValue: passRate.pValue, difference: -0.5 })
    expect(replayed.stdout).toContain('gpu')

    expect((await cli(['baseline', 'save'])).code).toBe(0)
    expect(await filesHolding(workspace.root, KEY)).toEqual([])
    expect(outputs.filter((run) => run.stdout.includes(KEY) || run.stderr.includes(KEY))).toEqual([])
  })

  it('a refused key: one clear error naming the provider and the variable, not retried, and the key in no file', async () => {
    const vllm = await startFakeOpenAI({ apiKey: 'sk-the-right-key-000000000000' })
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people, 'evals/greet.eval.ts': mixedEval, 'assay.config.ts': config(vllm.baseURL) })
    const ollama = await startFakeOllama()
    const run = await spawnCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: ollama.host, VLLM_KEY: KEY } })
    expect(run.code).toBe(1)
    expect(run.stdout + run.stderr).not.toContain(KEY)
    expect(run.stdout).toContain(`Provider "vllm" at ${vllm.baseURL} refused the request (HTTP 401: Incorrect API key provided: [REDACTED].)`)
    expect(run.stdout).toContain('VLLM_KEY')
    const errors = (await results(workspace.root)).evals[0]!.cases.flatMap((entry) => entry.samples).filter((sample) => sample.status === 'error')
    // Both variants: the gpu answers and the judge of the local ones run on the refusing server.
    expect(errors.map((sample) => sample.status === 'error' && sample.error.code)).toEqual(Array(16).fill('ASSAY_PROVIDER_AUTH'))
    // Once refused, later calls fail at once: at most the calls already in flight reached the server.
    expect(vllm.received).toBeLessThanOrEqual(3)
    expect(await filesHolding(workspace.root, KEY)).toEqual([])
  })

  it('a hostile error body reaches the terminal and the reports inert, and without the key', async () => {
    const hostile = `\u001b[2J\u001b]8;;https://evil.example\u0007bad request\n::error::forged ${KEY}`
    const vllm = await startFakeOpenAI({ apiKey: KEY, respond: () => ({ status: 400, error: hostile }) })
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people, 'evals/greet.eval.ts': mixedEval, 'assay.config.ts': config(vllm.baseURL) })
    const ollama = await startFakeOllama()
    const run = await spawnCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: ollama.host, VLLM_KEY: KEY } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('HTTP 400: \\u001b[2J\\u001b]8;;https://evil.example\\u0007bad request')
    expect(run.stdout).not.toMatch(/\u001b|\u0007|^\s*::error::/m)
    expect(run.stdout + run.stderr).not.toContain(KEY)
    expect(await filesHolding(workspace.root, KEY)).toEqual([])
  })

  it('a key variable that is not set: one clear error, and no request', async () => {
    const vllm = await startFakeOpenAI({ apiKey: KEY })
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people, 'evals/greet.eval.ts': mixedEval, 'assay.config.ts': config(vllm.baseURL) })
    const ollama = await startFakeOllama()
    const run = await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: ollama.host } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Provider "vllm" takes its API key from the environment variable VLLM_KEY, which is not set.')
    expect(vllm.received).toBe(0)
  })

  it('an unknown provider name stops the run before any call, naming the eval file', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/greet.eval.ts': mixedEval.replace("gpu: { provider: 'vllm'", "gpu: { provider: 'vlm'"),
      'assay.config.ts': config('http://127.0.0.1:9/v1'),
    })
    const run = await runCli(['run', '--record', 'new'], { cwd: workspace.root })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('variants.gpu.provider is "vlm", but the config names "vllm".')
    expect(run.stderr).toContain('evals/greet.eval.ts')
  })
})
