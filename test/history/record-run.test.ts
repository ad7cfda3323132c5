import { appendFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { HISTORY_SCHEMA_VERSION, type HistoryRecord } from '../../src/history/record.js'
import { HistoryStore, prepareHistory, recordRun, TREND_RUNS } from '../../src/history/store.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'
import { createWorkspace } from '../helpers/workspace.js'

function line(run: string, evalName: string, passRate: number): string {
  const entry: HistoryRecord = {
    schema: HISTORY_SCHEMA_VERSION,
    run,
    time: '2026-11-01T00:00:00.000Z',
    git: null,
    eval: evalName,
    file: `evals/${evalName}.eval.ts`,
    variant: null,
    template: null,
    model: 'llama3.2',
    provider: 'ollama',
    record: 'replay',
    status: 'pass',
    cases: 4,
    passRate,
    meanScore: null,
    latencyP50: null,
    latencyP95: null,
    promptTokens: 0,
    completionTokens: 0,
    retries: 0,
    errors: 0,
    cacheHits: 0,
    fixtureHits: 4,
  }
  return `${JSON.stringify(entry)}\n`
}

describe('recordRun', () => {
  it("trends each eval over its last runs only, this one included, whatever the file's length and the other evals in it", async () => {
    const workspace = await createWorkspace({})
    const lines: string[] = []
    for (let index = 0; index < 3 * TREND_RUNS; index++) {
      lines.push(line(`run-${index}`, 'greet', index / 100))
      if (index % 3 === 0) lines.push(line(`run-${index}`, 'other', 0.5))
    }
    await mkdir(join(workspace.root, '.assay'), { recursive: true })
    await writeFile(join(workspace.root, '.assay/history.jsonl'), lines.join(''))
    const results = runOf([evalOf('greet', [caseOf('ada', [judged()])])])
    const recorded = await recordRun(results, new HistoryStore(workspace.root, '.assay/history.jsonl'), workspace.root)
    const trend = recorded.evals[0]!.trend!
    expect(trend).toHaveLength(TREND_RUNS)
    // The oldest runs kept are the file's last TREND_RUNS - 1, then this run's point.
    expect(trend.slice(0, -1).map((point) => point.run)).toEqual(Array.from({ length: TREND_RUNS - 1 }, (_, i) => `run-${2 * TREND_RUNS + 1 + i}`))
    expect(trend.at(-1)!.run).not.toMatch(/^run-/)
    expect(trend.at(-1)!.passRate).toBe(results.evals[0]!.passRate)
  })

  it('gives the same trend when the history was read during the run, and still sees runs appended after that read', async () => {
    const workspace = await createWorkspace({})
    const file = join(workspace.root, '.assay/history.jsonl')
    await mkdir(join(workspace.root, '.assay'), { recursive: true })
    await writeFile(file, Array.from({ length: 5 }, (_, i) => line(`run-${i}`, 'greet', i / 10)).join(''))
    const results = runOf([evalOf('greet', [caseOf('ada', [judged()])])])
    const trendOf = (recorded: Awaited<ReturnType<typeof recordRun>>) => recorded.evals[0]!.trend!.slice(0, -1).map((point) => point.run)

    // Read while the run goes on, nothing appended since: the early read is what the end uses.
    const quiet = new HistoryStore(workspace.root, '.assay/history.jsonl')
    const early = prepareHistory(quiet, workspace.root, ['greet'])
    await early.read
    expect(trendOf(await recordRun(results, quiet, workspace.root, early))).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4'])

    // Another run appends between the early read and the end: its record is in the trend too.
    const busy = new HistoryStore(workspace.root, '.assay/history.jsonl')
    const prepared = prepareHistory(busy, workspace.root, ['greet'])
    await prepared.read
    await appendFile(file, line('run-concurrent', 'greet', 0.9))
    const trend = trendOf(await recordRun(results, busy, workspace.root, prepared))
    expect(trend.slice(-2)).toEqual([expect.not.stringMatching(/^run-/), 'run-concurrent'])
    expect(trend.slice(0, 5)).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4'])
  })
})
