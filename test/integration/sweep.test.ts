import { readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { sweepVariants } from '../../src/runner/plan.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const people = Array.from({ length: 12 }, (_, i) => JSON.stringify({ name: `p${i}`, vars: { name: `P${i}`, city: 'York' } })).join('\n')
const evalWith = (extra: string) => `import { assert, evaluate } from 'assay'
evaluate('greet', { template: 'greeter/greet', model: 'llama3.2', options: { seed: 7 }, cases: 'golden/people.jsonl', assert: [assert.contains('good')], threshold: 0, ${extra} })
`

describe('sweeps (the real CLI)', () => {
  it('turn three temperatures into three paired variants with verdicts, and name the best setting with its interval', async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': `${people}\n`, 'evals/greet.eval.ts': evalWith('sweep: { temperature: [0.2, 0.5, 0.8] }') })
    // 0.2 never says "good", 0.5 always does, 0.8 for every other case.
    const server = await startFakeOllama({
      respond: (request) => {
        const temperature = request.options?.temperature
        const who = Number(/P(\d+)/.exec(request.messages.at(-1)!.content)![1])
        return temperature === 0.5 || (temperature === 0.8 && who % 2 === 0) ? 'a good greeting' : 'a greeting'
      },
    })
    const run = await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(0)
    expect(server.requests).toHaveLength(36)
    expect(new Set(server.requests.map((request) => JSON.stringify(request.options)))).toEqual(new Set(['{"seed":7,"temperature":0.2}', '{"seed":7,"temperature":0.5}', '{"seed":7,"temperature":0.8}']))

    const result = (JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults).evals[0]!
    expect(result.variants!.map((variant) => [variant.name, variant.passRate])).toEqual([['temperature=0.2', 0], ['temperature=0.5', 1], ['temperature=0.8', 0.5]])
    const passRate = result.comparisons.filter((comparison) => comparison.metric === 'pass rate')
    expect(passRate.map((comparison) => [comparison.variant, comparison.baseline, comparison.n])).toEqual([['temperature=0.5', 'temperature=0.2', 12], ['temperature=0.8', 'temperature=0.2', 12]])
    expect(passRate[0]!.verdict).toBe('better')
    expect(result.sweep).toMatchObject({ options: ['temperature'], best: { variant: 'temperature=0.5', passRate: 1, n: 12, comparison: { verdict: 'better', baseline: 'temperature=0.2' } } })
    const { low, high } = result.sweep!.best.interval
    expect(low).toBeGreaterThan(0.7)
    expect(high).toBe(1)
    expect(run.stdout).toContain(`best setting: temperature=0.5, pass rate 100% (95% CI ${Math.round(low * 1000) / 10}% to 100%, n = 12); against temperature=0.2: ${passRate[0]!.sentence}`)
  })

  it('say so when the baseline setting is best, and refuse a sweep beside variants', async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': `${people}\n`, 'evals/greet.eval.ts': evalWith("sweep: { top_k: [10, 40] }") })
    const server = await startFakeOllama({ respond: (request) => (request.options?.top_k === 10 ? 'a good greeting' : 'a greeting') })
    const run = await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.stdout).toContain('best setting: top_k=10, pass rate 100% (95% CI')
    expect(run.stdout).toContain('it is the baseline setting, and no other setting had a higher pass rate')

    await workspace.write('evals/greet.eval.ts', evalWith("sweep: { top_k: [10, 40] }, variants: { a: {}, b: {} }"))
    const refused = await runCli(['run'], { cwd: workspace.root, env: { CI: '1' } })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('give variants or sweep, not both')
  })

  it("pick the best setting on the eval's primary metric, lowest first for tokens, and say so in results, console and sentence", async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': `${people}\n`, 'evals/greet.eval.ts': evalWith("sweep: { temperature: [0.2, 0.5, 0.8] }, primaryMetric: 'completion tokens'") })
    // Every setting passes every case (all say "good"); the answers differ only in length.
    const words: Record<string, string> = { '0.2': 'a good greeting to you my dear friend', '0.5': 'a good greeting', '0.8': 'good greeting to you' }
    const server = await startFakeOllama({ respond: (request) => words[String(request.options?.temperature)]! })
    const run = await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(0)
    const result = (JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults).evals[0]!
    // By pass rate all three tie and the first would win; by completion tokens 0.5 does.
    expect(result.sweep!.best).toMatchObject({ variant: 'temperature=0.5', metric: 'completion tokens', value: 3, passRate: 1, comparison: { metric: 'completion tokens', role: 'primary', baseline: 'temperature=0.2' } })
    expect(result.sweep!.best.sentence).toMatch(/^temperature=0\.5, completion tokens 3 \(the primary metric, mean over its cases\); pass rate 100% \(95% CI [\d.]+% to 100%, n = 12\); against temperature=0\.2: better: completion tokens -5 tokens/)
    expect(run.stdout).toContain(`best setting: ${result.sweep!.best.sentence}`)
  })

  it('expand several options into their grid, keeping the eval options', () => {
    expect(sweepVariants({ temperature: [0.2, 0.8], top_p: [0.9, 1] }, { seed: 7 })).toEqual({
      'temperature=0.2, top_p=0.9': { options: { seed: 7, temperature: 0.2, top_p: 0.9 } },
      'temperature=0.2, top_p=1': { options: { seed: 7, temperature: 0.2, top_p: 1 } },
      'temperature=0.8, top_p=0.9': { options: { seed: 7, temperature: 0.8, top_p: 0.9 } },
      'temperature=0.8, top_p=1': { options: { seed: 7, temperature: 0.8, top_p: 1 } },
    })
  })
})
