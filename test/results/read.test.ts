import { writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { writeResults } from '../../src/report/json.js'
import { readResults } from '../../src/results/read.js'
import type { RunResults } from '../../src/results/types.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'
import { createWorkspace } from '../helpers/workspace.js'

// Workspaces remove themselves after each test (test/setup.ts).
async function saved(results: unknown): Promise<string> {
  const workspace = await createWorkspace()
  const file = join(workspace.root, 'results.json')
  await writeFile(file, JSON.stringify(results))
  return file
}

function fullRun(): RunResults {
  const errored = { ...judged(), status: 'error' as const, output: undefined, error: { code: 'ASSAY_FIXTURE_MISSING', message: 'No fixture.', file: 'evals/a.eval.ts', fix: 'Record it.' } }
  const run = runOf([
    evalOf('a', [caseOf('x', [judged()], 'short'), caseOf('x', [judged({ status: 'fail' })], 'long'), caseOf('y', [errored as never], 'short')], {
      variants: [{ name: 'short', status: 'pass', passRate: 1, model: 'llama3.2', template: undefined, counts: { cases: 2, passed: 1, failed: 0, errored: 1 }, metrics: evalOf('z', []).metrics }],
      sequential: {
        reason: 'max cases',
        casesRun: 2,
        design: { alpha: 0.05, spending: 'pocock', horizon: 2, batch: 2 },
        looks: { long: [{ cases: 2, pairs: 1, baselinePasses: 1, discordant: 1, variantWins: 0, boundary: 2 }] },
      },
      baseline: { status: 'missing', file: 'golden/baselines/a.json' },
    }),
  ])
  return { ...run, shard: { index: 1, count: 2, evalOrder: ['a'], caseOrder: { a: { x: 0, y: 1 } }, baselines: { a: 'short' } } }
}

describe('readResults', () => {
  it('reads back exactly what the json reporter wrote', async () => {
    const results = fullRun()
    const workspace = await createWorkspace()
    const file = join(workspace.root, 'results.json')
    let text = ''
    await writeResults(results, async (chunk) => {
      text += chunk
    })
    await writeFile(file, text)
    expect(await readResults(file, 'reports/results.json')).toEqual(JSON.parse(JSON.stringify(results)))
  })

  it('keeps fields it does not know, as a newer assay may write them', async () => {
    const results = { ...fullRun(), future: { note: 'kept' } }
    expect(await readResults(await saved(results), 'reports/results.json')).toMatchObject({ future: { note: 'kept' } })
  })

  it('refuses a file whose cases are not what assay writes, naming the field', async () => {
    const results = fullRun() as unknown as { evals: { cases: { status: string }[] }[] }
    results.evals[0]!.cases[1]!.status = 'maybe'
    await expect(readResults(await saved(results), 'reports/results.json')).rejects.toMatchObject({
      code: 'ASSAY_RESULTS_INVALID',
      file: 'reports/results.json',
      message: expect.stringContaining('evals[0].cases[1].status'),
    })
  })

  it('refuses a file of another schema version before reading further', async () => {
    await expect(readResults(await saved({ schemaVersion: 2, evals: [] }), 'old.json')).rejects.toMatchObject({ code: 'ASSAY_RESULTS_INVALID', message: expect.stringContaining('schema 1') })
  })
})
