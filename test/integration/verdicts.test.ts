import { readFileSync } from 'node:fs'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { seededRandom } from '../helpers/random.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'

/**
 * Issue 13's example through the real CLI: 100 paired cases, 40 both pass, 9 only the baseline
 * (v1) passes, 28 only v2 passes, 23 neither, in a seeded order.
 */
const kinds = ['both', 'v1', 'v2', 'neither'] as const
const order = (() => {
  const list = [...Array<string>(40).fill('both'), ...Array<string>(9).fill('v1'), ...Array<string>(28).fill('v2'), ...Array<string>(23).fill('neither')]
  const random = seededRandom(13)
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[list[i], list[j]] = [list[j]!, list[i]!]
  }
  return list as (typeof kinds)[number][]
})()

const files = {
  'evals/templates/h/headline_v1.yaml': 'user_prompt_template: "Write a loud headline for: {{story}}"\nvariables:\n  story: str\n',
  'evals/templates/h/headline_v2.yaml': 'user_prompt_template: "Write a plain headline for: {{story}}"\nvariables:\n  story: str\n',
  'evals/h.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('headline', {
  model: 'llama3.2',
  cases: Array.from({ length: 100 }, (_, i) => ({ name: 'story-' + i, vars: { story: 'Story number ' + i } })),
  variants: { v1: { template: 'h/headline@1' }, v2: { template: 'h/headline@2' } },
  assert: [assert.notContains(['!'])],
  threshold: 0,
})
`,
}

/** A headline that passes (no "!") or fails, as the case's kind says for this variant. */
function answer(prompt: string): string {
  const i = Number(/Story number (\d+)/.exec(prompt)![1])
  const variant = prompt.includes('loud') ? 'v1' : 'v2'
  const kind = order[i]!
  const passes = kind === 'both' || kind === variant
  return passes ? `Story ${i} in brief` : `Story ${i} shakes the town!`
}

// Both are closed and removed after each test by the helpers' own cleanup.
let workspace: Workspace | undefined
let server: FakeOllama | undefined

async function run(args: string[]) {
  workspace = await createWorkspace(files)
  server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
  const cli = await runCli(['run', '--record', 'off', ...args], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
  const results = JSON.parse(readFileSync(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults
  const passRate = results.evals[0]!.comparisons.find((c) => c.metric === 'pass rate')!
  return { cli, results, passRate }
}

describe('verdicts through the CLI (issue 13)', () => {
  it('a fixed run of 9 vs 28 discordant pairs in 100 cases prints better for pass rate, with exact McNemar', async () => {
    const { cli, passRate } = await run([])
    expect(cli.code).toBe(0)
    expect(cli.stdout).toMatch(/v2 vs v1: better: pass rate \+19\.0 points, 95% CI \[\+\d+\.\d, \+\d+\.\d\], p = 0\.003, n = 100 paired cases, exact McNemar; primary metric/)
    expect(passRate).toMatchObject({ verdict: 'better', role: 'primary', n: 100, test: 'exact McNemar' })
    expect(readFileSync(join(workspace!.root, 'reports/index.html'), 'utf8')).toContain('better: pass rate +19.0 points')
  })

  it.each([[[] as string[]], [['--batch', '5']], [['--batch', '20', '--max-cases', '90']]])('a sequential run (%j) that stops because it is settled prints better, never inconclusive', async (flags) => {
    const { cli, results, passRate } = await run(['--until-significant', ...flags])
    expect(cli.code).toBe(0)
    const sequential = results.evals[0]!.sequential!
    expect(sequential.reason).toBe('significant')
    expect(sequential.casesRun).toBeLessThan(100)
    expect(server!.requests).toHaveLength(2 * sequential.casesRun)
    expect(cli.stdout).toContain(`sequential: stopped after ${sequential.casesRun} cases, the group-sequential test settled pass rate`)
    expect(passRate).toMatchObject({ verdict: 'better', n: sequential.casesRun })
    expect(passRate.pValue).toBeLessThan(0.05)
    expect(passRate.interval.low).toBeGreaterThan(0)
    expect(cli.stdout).toMatch(new RegExp(`v2 vs v1: better: pass rate \\+\\d+\\.\\d points, 95% CI \\[\\+\\d+\\.\\d, \\+\\d+\\.\\d\\], p = 0\\.0\\d\\d, n = ${sequential.casesRun} paired cases, group-sequential exact McNemar`))
    expect(cli.stdout).not.toMatch(/v2 vs v1: inconclusive[^\n]*pass rate/)
    // Secondary metrics after an early stop: described, never better or worse.
    const others = results.evals[0]!.comparisons.filter((c) => c.metric !== 'pass rate')
    expect(others.map((c) => c.metric)).toEqual(expect.arrayContaining(['latency ms', 'completion tokens']))
    for (const other of others) expect(other.verdict).toBe('descriptive')
  })

  it('refuses --until-significant on an eval whose primary metric is not pass rate, naming the file', async () => {
    workspace = await createWorkspace({ ...files, 'evals/h.eval.ts': files['evals/h.eval.ts'].replace('threshold: 0,', "threshold: 0,\n  primaryMetric: 'latency ms',") })
    server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
    const cli = await runCli(['run', '--record', 'off', '--until-significant'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(cli.code).toBe(2)
    expect(cli.stderr + cli.stdout).toContain('--until-significant watches pass rate, but eval "headline" has primaryMetric "latency ms".')
    expect(cli.stderr + cli.stdout).not.toMatch(/\n\s+at /)
  })

  it('rejects a primaryMetric that is not a metric, naming the field', async () => {
    workspace = await createWorkspace({ ...files, 'evals/h.eval.ts': files['evals/h.eval.ts'].replace('threshold: 0,', "threshold: 0,\n  primaryMetric: 'speed',") })
    server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
    const cli = await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(cli.code).toBe(2)
    expect(cli.stderr + cli.stdout).toMatch(/primaryMetric/)
    expect(cli.stderr + cli.stdout).toContain("expected 'pass rate', 'score: <assertion name>', 'latency ms' or 'completion tokens'")
  })

  it('rejects a score primaryMetric that names no assertion, listing the ones there are', async () => {
    workspace = await createWorkspace({ ...files, 'evals/h.eval.ts': files['evals/h.eval.ts'].replace('threshold: 0,', "threshold: 0,\n  primaryMetric: 'score: tone',") })
    server = await startFakeOllama({ respond: (r) => answer(r.messages.at(-1)!.content) })
    const cli = await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(cli.code).toBe(2)
    expect(cli.stderr + cli.stdout).toContain('Eval "headline" has primaryMetric "score: tone", but it has no assertion of that name.')
    expect(cli.stderr + cli.stdout).toMatch(/Fix: Name one of its assertions: 'score: [^']+'/)
    expect(server.requests).toHaveLength(0)
  })
})
