import { mkdir, readdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { launchChromium } from '../helpers/browser.js'
import { repoRoot, runCli } from '../helpers/cli.js'
import { startFakeOllama, type ReceivedRequest } from '../helpers/ollama-server.js'
import { startFakeOpenAI } from '../helpers/openai-server.js'
import { createWorkspace } from '../helpers/workspace.js'

const results = async (root: string) => JSON.parse(await readFile(join(root, 'reports/results.json'), 'utf8')) as RunResults
const config = (baseURL: string) => `export default { providers: { vllm: { type: 'openai', baseURL: '${baseURL}' } } }\n`

/** What the chat model answers per topic: two paraphrases of the reference, one unrelated text. */
const ANSWERS: Record<string, string> = {
  cat: 'A feline is napping on the sofa.',
  rain: 'Tomorrow the town will likely see showers.',
  stocks: 'Stock markets fell sharply in early trading.',
}

const meaningWorkspace = (baseURL: string) => ({
  'assay.config.ts': config(baseURL),
  'evals/templates/echo/say_v1.yaml': `version: "1"\nsystem_prompt: You restate sentences in other words.\nuser_prompt_template: "Restate ({{topic}}): {{sentence}}"\nvariables:\n  - topic: str\n  - sentence: str\n`,
  'golden/sentences.jsonl': [
    { name: 'cat', vars: { topic: 'cat', sentence: 'The cat sleeps on the couch.' }, reference: 'The cat sleeps on the couch.' },
    { name: 'rain', vars: { topic: 'rain', sentence: 'Rain is expected in the city tomorrow.' }, reference: 'Rain is expected in the city tomorrow.' },
    { name: 'stocks', vars: { topic: 'stocks', sentence: 'The cat sleeps on the couch.' }, reference: 'The cat sleeps on the couch.' },
  ].map((line) => JSON.stringify(line)).join('\n') + '\n',
  'evals/meaning.eval.ts': `import { assert, evaluate } from 'assay'

evaluate('restate', {
  template: 'echo/say',
  model: 'llama3.2',
  options: { temperature: 0, seed: 1 },
  cases: 'golden/sentences.jsonl',
  assert: [
    assert.similar({ method: 'embedding', model: 'nomic-embed-text', min: 0.8 }),
    assert.similar({ method: 'embedding', model: 'text-embedding-3-small', provider: 'vllm', min: 0.8 }),
    assert.similar({ min: 0.8, advisory: true }),
  ],
  threshold: 0.6,
})
`,
})

describe('assert.similar with embeddings, through the CLI', () => {
  it('records the embedding calls (one per assertion per sample, answer and reference together), passes paraphrases, fails unrelated answers, and replays with no server', async () => {
    const ollama = await startFakeOllama({ models: ['llama3.2', 'nomic-embed-text'], respond: (r: ReceivedRequest) => ANSWERS[/\((\w+)\)/.exec(r.messages.at(-1)!.content)![1]!]! })
    const vllm = await startFakeOpenAI({ models: ['text-embedding-3-small'] })
    const workspace = await createWorkspace(meaningWorkspace(vllm.baseURL))

    const dry = await runCli(['run', '--dry-run'], { cwd: workspace.root, env: { OLLAMA_HOST: ollama.host } })
    expect(dry.stdout).toContain('restate: 3 calls, 0 in fixtures, 0 in the cache, 3 to the model')
    expect(dry.stdout).toContain('plus up to 6 embedding calls')

    const live = await runCli(['run', '--record', 'new', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: ollama.host } })
    expect(live.stderr).toBe('')
    expect(live.code).toBe(0)
    const embedCalls = ollama.requests.filter((r) => r.endpoint === 'embed')
    expect(embedCalls.map((r) => r.input)).toEqual(expect.arrayContaining([[ANSWERS.cat, 'The cat sleeps on the couch.'], [ANSWERS.rain, 'Rain is expected in the city tomorrow.'], [ANSWERS.stocks, 'The cat sleeps on the couch.']]))
    expect(embedCalls).toHaveLength(3)
    expect(vllm.embeddings).toHaveLength(3)

    const first = await results(workspace.root)
    const byCase = Object.fromEntries(first.evals[0]!.cases.map((c) => [c.id, c]))
    expect(byCase.cat!.status).toBe('pass')
    expect(byCase.rain!.status).toBe('pass')
    expect(byCase.stocks!.status).toBe('fail')
    const reasons = (id: string) => (byCase[id]!.samples[0]!.status === 'error' ? [] : byCase[id]!.samples[0]!.assertions.map((a) => `${a.name}: ${a.reason}`))
    expect(reasons('cat')[0]).toBe('similar (embedding, nomic-embed-text) >= 0.8 to the reference: cosine similarity 1 >= 0.8 (embeddings of nomic-embed-text)')
    expect(reasons('rain')[1]).toBe('similar (embedding, text-embedding-3-small) >= 0.8 to the reference: cosine similarity 0.894 >= 0.8 (embeddings of text-embedding-3-small)')
    expect(reasons('stocks')[0]).toContain('cosine similarity 0 < 0.8 (embeddings of nomic-embed-text)')
    // Words alone would have failed the paraphrase: the advisory ROUGE-L is far below 0.8.
    expect(reasons('cat')[2]).toMatch(/rouge-l similarity 0(\.\d+)? < 0\.8/)
    expect(byCase.cat!.samples[0]!.calls.map((call) => call.purpose)).toEqual(['answer', 'embedding', 'embedding'])

    const folder = join(workspace.root, 'fixtures/restate')
    expect(await readdir(folder)).toHaveLength(9)
    const check = await runCli(['fixtures', 'check'], { cwd: workspace.root })
    expect(check.stdout).toContain('0 invalid')
    expect(check.code).toBe(0)

    await ollama.close()
    await vllm.close()
    const replay = await runCli(['run'], { cwd: workspace.root, env: { CI: '1', OLLAMA_HOST: ollama.host } })
    expect(replay.code).toBe(0)
    expect(replay.stdout).toContain('9 from fixtures, 0 live')
    const again = await results(workspace.root)
    expect(again.evals[0]!.cases.map((c) => [c.id, c.status])).toEqual(first.evals[0]!.cases.map((c) => [c.id, c.status]))
  })
})

const toolsWorkspace = (baseURL: string) => ({
  'assay.config.ts': config(baseURL),
  'evals/templates/agent/plan_v1.yaml': `version: "1"\nsystem_prompt: You answer with tool calls.\nuser_prompt_template: "{{question}}"\nvariables:\n  - question: str\n`,
  'evals/tools.eval.ts': `import { z } from 'zod'
import { assert, evaluate } from 'assay'

evaluate('weather tools', {
  template: 'agent/plan',
  options: { temperature: 0, seed: 1 },
  tools: [
    { name: 'get_weather', description: 'The forecast for a city', parameters: z.object({ city: z.string(), days: z.int() }) },
    { type: 'function', function: { name: 'search', parameters: { type: 'object', properties: { query: { type: 'string' } } } } },
  ],
  cases: [
    { name: 'right', vars: { question: 'Weather in Paris for two days?' } },
    { name: 'bad-days', vars: { question: 'Weather in Paris, zero days?' } },
    { name: 'no-call', vars: { question: 'Tell me a joke.' } },
  ],
  assert: [assert.toolCalls({ expect: [{ name: 'get_weather', args: z.object({ city: z.literal('Paris'), days: z.int().min(1) }) }] })],
  threshold: 0,
  variants: {
    local: { model: 'llama3.2' },
    gpu: { provider: 'vllm', model: 'qwen2.5-7b-instruct' },
  },
})
`,
})

/** The same calls from either server: right, wrong arguments, or text and no call. */
function plan(question: string) {
  if (question.includes('two days')) return { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', days: 2 } }] }
  if (question.includes('zero days')) return { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', days: 0 } }] }
  return 'Why did the cloud stay home? It was under the weather.'
}

describe('tool calls through the CLI', () => {
  it('offers the tools, keeps the calls in fixtures and results, passes right calls and names the argument that fails', async () => {
    const ollama = await startFakeOllama({ respond: (r) => plan(r.messages.at(-1)!.content) })
    const vllm = await startFakeOpenAI({ respond: (r) => plan(r.messages.at(-1)!.content) })
    const workspace = await createWorkspace(toolsWorkspace(vllm.baseURL))
    // zod resolves from the eval file's folder, as in a user's project.
    await mkdir(join(workspace.root, 'node_modules'))
    await symlink(join(repoRoot, 'node_modules/zod'), join(workspace.root, 'node_modules/zod'), 'dir')

    const live = await runCli(['run', '--record', 'new', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: ollama.host } })
    expect(live.stderr).toBe('')
    expect(live.code).toBe(0)
    const offered = ollama.requests[0]!.tools!
    expect(offered.map((tool) => tool.function.name)).toEqual(['get_weather', 'search'])
    expect(offered[0]!.function.parameters).toMatchObject({ type: 'object', required: ['city', 'days'] })
    expect(vllm.requests[0]!.body.tools).toEqual(offered)

    const run = await results(workspace.root)
    for (const variant of ['local', 'gpu']) {
      const cases = Object.fromEntries(run.evals[0]!.cases.filter((c) => c.variant === variant).map((c) => [c.id, c.samples[0]!]))
      expect(cases.right).toMatchObject({ status: 'pass', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', days: 2 } }] })
      expect(cases['bad-days']!.status).toBe('fail')
      expect(cases['bad-days']!.status === 'fail' && cases['bad-days']!.assertions[0]!.reason).toBe('0/1 expected calls matched, 1 made; call 1 get_weather: arguments days: Too small: expected number to be >=1')
      expect(cases['no-call']!.status === 'fail' && cases['no-call']!.assertions[0]).toMatchObject({ score: 0, reason: '0/1 expected calls matched, 0 made; missing call to get_weather (called: none)' })
    }
    expect(live.stdout).toContain('call 1 get_weather: arguments days: Too small')

    await ollama.close()
    await vllm.close()
    const replay = await runCli(['run'], { cwd: workspace.root, env: { CI: '1', OLLAMA_HOST: ollama.host } })
    expect(replay.code).toBe(0)
    expect(replay.stdout).toContain('6 from fixtures, 0 live')
    const replayed = await results(workspace.root)
    expect(replayed.evals[0]!.cases.map((c) => c.samples[0]!.status)).toEqual(run.evals[0]!.cases.map((c) => c.samples[0]!.status))

    // The drill-down shows each call with its arguments.
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.goto(`file://${join(workspace.root, 'reports/index.html')}`)
      await page.waitForSelector('body[data-ready=true]')
      await page.locator('[data-testid=eval-row]', { hasText: 'weather tools' }).click()
      await page.locator('[data-testid=case-row][data-case=bad-days]').first().click()
      const shown = page.locator('[data-testid=case-detail] [data-testid=tool-calls]')
      expect(await shown.count()).toBe(2)
      expect(await shown.first().textContent()).toBe('Tool calls (1)1. get_weather{\n  "city": "Paris",\n  "days": 0\n}')
    } finally {
      await browser.close()
    }
  })
})
