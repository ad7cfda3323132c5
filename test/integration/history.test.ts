import { readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { HistoryRecord } from '../../src/history/record.js'
import { HistoryStore } from '../../src/history/store.js'
import type { RunResults } from '../../src/results/types.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const greetEval = (template: string) => `import { assert, evaluate } from 'assay'
evaluate('greet', { template: '${template}', model: 'llama3.2', cases: 'golden/people.jsonl', assert: [assert.contains('Ada')], threshold: 0 })
`

describe('run history (the real CLI)', () => {
  it('appends a record per run that `assay history --json` reads back, with the template version, and trends it in results', async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'evals/greet.eval.ts': greetEval('greeter/greet@1') })
    const server = await startFakeOllama()
    const env = { OLLAMA_HOST: server.host }
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env })).code).toBe(0)
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env })).code).toBe(0)
    await workspace.write('evals/greet.eval.ts', greetEval('greeter/greet@2'))
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env })).code).toBe(0)

    const listed = await runCli(['history', '--json'], { cwd: workspace.root })
    expect(listed.code).toBe(0)
    const records = JSON.parse(listed.stdout) as HistoryRecord[]
    expect(records).toHaveLength(3)
    expect(records.map((entry) => [entry.eval, entry.template, entry.passRate])).toEqual([
      ['greet', 'greeter/greet@1', 0.5],
      ['greet', 'greeter/greet@1', 0.5],
      ['greet', 'greeter/greet@2', 0.5],
    ])
    expect(records[0]).toMatchObject({ schema: 1, file: 'evals/greet.eval.ts', variant: null, model: 'llama3.2', provider: 'ollama', record: 'new', status: 'pass', cases: 2, errors: 0, git: null, fixtureHits: 0 })
    // The second run replayed the first's fixtures.
    expect(records[1]).toMatchObject({ fixtureHits: 2, promptTokens: expect.any(Number) })
    expect(new Set(records.map((entry) => entry.run)).size).toBe(3)
    for (const entry of records) expect(Date.parse(entry.time)).toBeGreaterThan(Date.now() - 600_000)

    const results = JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults
    expect(results.evals[0]!.trend!.map((point) => point.template)).toEqual(['greeter/greet@1', 'greeter/greet@1', 'greeter/greet@2'])

    const text = await runCli(['history'], { cwd: workspace.root })
    expect(text.stdout).toContain('HISTORY .assay/history.jsonl: 3 runs in all time')
    expect(text.stdout).toMatch(/greeter\/greet@1 \(llama3\.2\) {2}2 runs {2}pass 50\.0% → 50\.0% \(\+0\.0 points\)/)
    expect(text.stdout).toMatch(/greeter\/greet@2 \(llama3\.2\) {2}1 run {2}pass 50\.0%/)

    expect(JSON.parse((await runCli(['history', '--json', '-t', '^nothing$'], { cwd: workspace.root })).stdout)).toEqual([])
    expect(JSON.parse((await runCli(['history', '--json', '--since', '1h'], { cwd: workspace.root })).stdout)).toHaveLength(3)
    expect((await runCli(['history', '--since', 'soon'], { cwd: workspace.root })).code).toBe(2)
  })

  it('keeps every line whole when two runs append at once, and writes where --history-file says', async () => {
    const evals = Array.from({ length: 6 }, (_, i) => `evaluate('e${i}', { template: 'greeter/greet@1', model: 'llama3.2', cases: 'golden/people.jsonl' })`).join('\n')
    const workspace = await createWorkspace({ ...basicWorkspace, 'evals/greet.eval.ts': `import { evaluate } from 'assay'\n${evals}\n` })
    const server = await startFakeOllama()
    const env = { OLLAMA_HOST: server.host }
    const runs = await Promise.all([0, 1, 2].map((i) => runCli(['run', '--record', 'off', '--no-cache', '--reporter', 'dot', '--outputDir', `reports-${i}`, '--history-file', 'ci/history.jsonl'], { cwd: workspace.root, env })))
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0])
    const { records, skipped } = await new HistoryStore(workspace.root, 'ci/history.jsonl').read()
    expect(skipped).toBe(0)
    expect(records).toHaveLength(18)
    const perRun = new Map<string, string[]>()
    for (const entry of records) perRun.set(entry.run, [...(perRun.get(entry.run) ?? []), entry.eval])
    expect([...perRun.values()].map((names) => names.sort())).toEqual([0, 1, 2].map(() => ['e0', 'e1', 'e2', 'e3', 'e4', 'e5']))
  })

  it('skips lines that are not records, and reads nothing from a missing file', async () => {
    const workspace = await createWorkspace({ '.assay/history.jsonl': '{"schema": 1, "eval": "torn\nnot json\n\n' })
    expect(await new HistoryStore(workspace.root, '.assay/history.jsonl').read()).toEqual({ records: [], skipped: 2 })
    expect(await new HistoryStore(workspace.root, 'nowhere.jsonl').read()).toEqual({ records: [], skipped: 0 })
  })
})
