import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/config/load.js'
import { runEvals } from '../../src/runner/run.js'
import { discordantGroupSequential } from '../../src/stats/group-sequential.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
let server: FakeOllama | undefined
const files = {
  'evals/templates/h/headline_v1.yaml': 'user_prompt_template: "Write a headline for: {{story}}"\nvariables:\n  story: str\n',
  'evals/templates/h/headline_v2.yaml': 'user_prompt_template: "Write a headline of at most 8 words for: {{story}}"\nvariables:\n  story: str\n',
  'evals/h.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('headline', {
  model: 'llama3.2',
  cases: Array.from({ length: 30 }, (_, i) => ({ name: 'story-' + i, vars: { story: 'Story number ' + i } })),
  assert: [assert.length({ max: 60 })],
  variants: { v1: { template: 'h/headline@1' }, v2: { template: 'h/headline@2' } },
  threshold: 0.2,
})
`,
}

// v1 rambles on 21 of 30 stories; v2 on 3, all of them among v1's.
function answer(prompt: string): string {
  const i = Number(/Story number (\d+)/.exec(prompt)![1])
  const long = prompt.includes('at most 8 words') ? i % 10 === 0 : i % 10 < 7
  return long ? `Breaking: story number ${i} shakes the whole town as residents react` : `Story ${i} in brief`
}

async function run(overrides: Partial<Parameters<typeof runEvals>[0]> = {}) {
  const config = await resolveConfig(workspace!.root, { flags: { record: 'new' }, env: { OLLAMA_HOST: server!.host } })
  return runEvals({ config, ...overrides })
}

describe('variants', () => {
  it('run every case on every variant and give a paired verdict', async () => {
    workspace = await createWorkspace(files)
    server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
    const results = await run()
    expect(server.requests).toHaveLength(60)
    const evalResult = results.evals[0]!
    expect(evalResult.variants!.map((v) => [v.name, v.counts.passed, v.status, v.template?.version])).toEqual([
      ['v1', 9, 'pass', '1'],
      ['v2', 27, 'pass', '2'],
    ])
    expect(evalResult.cases.slice(0, 4).map((c) => `${c.id}/${c.variant}`)).toEqual(['story-0/v1', 'story-0/v2', 'story-1/v1', 'story-1/v2'])
    const passRate = evalResult.comparisons.find((c) => c.metric === 'pass rate')!
    expect(passRate).toMatchObject({ baseline: 'v1', variant: 'v2', verdict: 'better', n: 30, test: 'exact McNemar' })
    expect(passRate.difference).toBeCloseTo(0.6, 12)
  })

  it('compare against the variant --baseline-variant names', async () => {
    workspace = await createWorkspace(files)
    server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
    const results = await run({ baselineVariant: 'v2' })
    expect(results.evals[0]!.comparisons.find((c) => c.metric === 'pass rate')).toMatchObject({ baseline: 'v2', variant: 'v1', verdict: 'worse' })
    await expect(run({ baselineVariant: 'v9' })).rejects.toMatchObject({ code: 'ASSAY_USAGE', message: '--baseline-variant "v9" is not a variant of eval "headline" (it has v1, v2).' })
  })

  it('fail the eval when any variant misses the threshold', async () => {
    workspace = await createWorkspace({ ...files, 'evals/h.eval.ts': files['evals/h.eval.ts'].replace('threshold: 0.2', 'threshold: 0.5') })
    server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
    const results = await run()
    expect(results.evals[0]!.variants!.map((v) => v.status)).toEqual(['fail', 'pass'])
    expect(results.evals[0]!.status).toBe('fail')
  })
})

describe('--until-significant', () => {
  it('adds cases in batches and stops at the group-sequential boundary, calling fewer models, and the verdict is that test', async () => {
    workspace = await createWorkspace(files)
    server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
    const results = await run({ untilSignificant: { maxCases: 1000, batch: 5, alpha: 0.05 } })
    const evalResult = results.evals[0]!
    const sequential = evalResult.sequential!
    expect(sequential).toMatchObject({ reason: 'significant', design: { alpha: 0.05, spending: 'pocock', horizon: 30, batch: 5 } })
    expect(sequential.casesRun).toBeLessThan(30)
    expect(server.requests).toHaveLength(2 * sequential.casesRun)
    expect(evalResult.counts.cases).toBe(2 * sequential.casesRun)
    const looks = sequential.looks['v2']!
    const last = looks.at(-1)!
    expect(Math.max(last.variantWins, last.discordant - last.variantWins)).toBeGreaterThanOrEqual(last.boundary)
    const passRate = evalResult.comparisons.find((c) => c.metric === 'pass rate')!
    expect(passRate).toMatchObject({ role: 'primary', verdict: 'better', n: sequential.casesRun })
    expect(passRate.test).toMatch(/^group-sequential exact McNemar \(Pocock-type spending, look \d+ of at most 6\)$/)
    const expected = discordantGroupSequential(looks, { alpha: 0.05, spending: 'pocock', horizon: 30 })
    expect(passRate.pValue).toBe(expected.pValue)
    expect(passRate.pValue).toBeLessThan(0.05)
    expect(passRate.interval.low).toBeGreaterThan(0)
    // The other metrics were not what the run stopped on: descriptive, never better or worse.
    for (const other of evalResult.comparisons.filter((c) => c.role === 'secondary')) expect(other.verdict).toBe('descriptive')
  })

  it('runs to --max-cases when the variants do not differ, and reaches no verdict', async () => {
    workspace = await createWorkspace(files)
    server = await startFakeOllama({ respond: () => 'Same headline' })
    const results = await run({ untilSignificant: { maxCases: 15, batch: 10, alpha: 0.05 } })
    expect(results.evals[0]!.sequential).toMatchObject({ reason: 'max cases', casesRun: 15 })
    expect(server.requests).toHaveLength(30)
    expect(results.evals[0]!.comparisons.find((c) => c.metric === 'pass rate')!.verdict).not.toBe('better')
  })

  it('leaves evals without variants alone', async () => {
    workspace = await createWorkspace({ ...files, 'evals/plain.eval.ts': `import { evaluate } from 'assay'\nevaluate('plain', { template: 'h/headline@1', model: 'llama3.2', cases: [{ vars: { story: 'Story number 1' } }, { vars: { story: 'Story number 2' } }] })\n` })
    server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
    const results = await run({ untilSignificant: { maxCases: 1000, batch: 5, alpha: 0.05 }, namePattern: 'plain' })
    expect(results.evals[0]).toMatchObject({ sequential: undefined, counts: { cases: 2 } })
  })
})
