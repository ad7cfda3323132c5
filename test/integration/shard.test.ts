import { readFile, readdir } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
let server: FakeOllama | undefined
const files = {
  ...basicWorkspace,
  'golden/people.jsonl': Array.from({ length: 23 }, (_, i) => JSON.stringify({ name: `p${i}`, vars: { name: `P${i}`, city: i % 3 ? 'York' : 'Leeds' } })).join('\n') + '\n',
  'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', { template: 'greeter/greet', model: 'llama3.2', cases: 'golden/people.jsonl', assert: [assert.contains('Leeds')], threshold: 0.2 })
evaluate('greet a/b', {
  model: 'llama3.2',
  cases: 'golden/people.jsonl',
  variants: { v1: { template: 'greeter/greet@1' }, v2: { template: 'greeter/greet@2' } },
  assert: [assert.contains('York')],
  threshold: 0,
})
`,
}

/** The results without what differs between any two runs: timings and the run's own filters. */
function comparable(results: RunResults): unknown {
  return JSON.parse(JSON.stringify(results, (key, value) => (['durationMs', 'startedAt', 'selection', 'shard', 'trend'].includes(key) ? undefined : value)))
}

describe('--shard and merge-reports (the real CLI)', () => {
  it('split the cases across shards, each case in exactly one, and merge into what a single run gives', async () => {
    workspace = await createWorkspace(files)
    server = await startFakeOllama()
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    expect((await runCli(['run', '--record', 'replay'], { cwd: workspace.root, env: { CI: '1' } })).code).toBe(0)
    const single = JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults

    const sizes: number[] = []
    for (const index of [1, 2, 3]) {
      const run = await runCli(['run', '--record', 'replay', '--shard', `${index}/3`, '--outputDir', 'blobs'], { cwd: workspace.root, env: { CI: '1' } })
      expect(run.code).toBe(0)
      const blob = JSON.parse(await readFile(join(workspace.root, `blobs/blob-${index}-of-3.json`), 'utf8')) as RunResults
      sizes.push(blob.evals.reduce((sum, e) => sum + new Set(e.cases.map((c) => c.id)).size, 0))
    }
    // 46 eval cases dealt round-robin: 16, 15, 15.
    expect(sizes).toEqual([16, 15, 15])
    expect(await readdir(join(workspace.root, 'blobs'))).toEqual(['blob-1-of-3.json', 'blob-2-of-3.json', 'blob-3-of-3.json'])

    const merge = await runCli(['merge-reports', 'blobs', '--outputDir', 'merged'], { cwd: workspace.root })
    expect(merge.code).toBe(0)
    expect(merge.stdout).toContain('MERGE 3 shard blobs from blobs/')
    const merged = JSON.parse(await readFile(join(workspace.root, 'merged/results.json'), 'utf8')) as RunResults
    expect(comparable(merged)).toEqual(comparable(single))
    // The merged run went into the history once, after the two whole runs; the shards did not.
    expect(merged.evals[0]!.trend!.map((point) => point.passRate)).toEqual([...single.evals[0]!.trend!.map((point) => point.passRate), single.evals[0]!.passRate])
    expect(merged.evals[1]!.comparisons.find((c) => c.metric === 'pass rate')).toEqual(single.evals[1]!.comparisons.find((c) => c.metric === 'pass rate'))
  })

  it('refuses a bad --shard and a merge with a shard missing', async () => {
    workspace = await createWorkspace(files)
    expect((await runCli(['run', '--shard', '4/3'], { cwd: workspace.root })).stderr).toContain('ASSAY_USAGE --shard "4/3" is not a shard: it takes i/n with 1 <= i <= n.')
    server = await startFakeOllama()
    await runCli(['run', '--record', 'new', '--shard', '1/2'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    const merge = await runCli(['merge-reports'], { cwd: workspace.root })
    expect(merge).toMatchObject({ code: 2, stderr: expect.stringContaining('Shard 2/2 is missing.') })
  })
})
