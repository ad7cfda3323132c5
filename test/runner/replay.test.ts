import { rm } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { AggregateAssayError } from '../../src/errors.js'
import { resolveConfig } from '../../src/config/load.js'
import { runEvals } from '../../src/runner/run.js'
import { writeWorkspace } from '../../bench/workspace.js'
import { createWorkspace } from '../helpers/workspace.js'

describe('a replay', () => {
  it('lets timers and signals in while it runs: a stop requested from a timer ends it part-way', async () => {
    // Fixtures are read synchronously, so nothing in a replay waits on I/O; without the workers
    // stepping aside, a timer (or Ctrl-C) would only run once every case had finished.
    const workspace = await createWorkspace()
    writeWorkspace(workspace.root, { evals: 1, cases: 3000 })
    const config = await resolveConfig(workspace.root, { flags: { record: 'replay' }, env: {} })
    const stop = new AbortController()
    let scheduled = false
    const results = await runEvals({
      config,
      stop: stop.signal,
      reporters: [
        {
          onCaseEnd() {
            if (scheduled) return
            scheduled = true
            setTimeout(() => stop.abort(), 0)
          },
        },
      ],
    })
    expect(results.interrupted).toBe(true)
    expect(results.summary.cases.total).toBeGreaterThan(0)
    expect(results.summary.cases.total).toBeLessThan(3000)
    expect(results.summary.cases.errored).toBe(0)
  })
})

describe('what a replay keeps', () => {
  it('holds one copy of what cases share: the cases of one file read by two evals, and equal assertion outcomes', async () => {
    const workspace = await createWorkspace()
    writeWorkspace(workspace.root, { evals: 2, cases: 40 })
    const config = await resolveConfig(workspace.root, { flags: { record: 'replay' }, env: {} })
    const results = await runEvals({ config })
    const [first, second] = results.evals
    expect(results.summary.cases).toEqual({ total: 80, passed: 80, failed: 0, errored: 0 })
    expect(first!.cases[7]!.vars).toBe(second!.cases[7]!.vars)
    const samples = results.evals.flatMap((result) => result.cases.map((entry) => entry.samples[0]!))
    const contains = samples.map((sample) => (sample.status === 'error' ? undefined : sample.assertions[1]))
    expect(new Set(contains).size).toBe(1)
    expect(contains[0]).toMatchObject({ kind: 'contains', pass: true })
    expect(Object.isFrozen(contains[0])).toBe(true)
    // Lists of equal outcomes are shared too: far fewer lists than samples.
    const lists = new Set(samples.map((sample) => (sample.status === 'error' ? undefined : sample.assertions)))
    expect(lists.size).toBeLessThan(samples.length / 2)
    expect(first!.cases[0]!.repeats).toBe(second!.cases[3]!.repeats)
  })

  it('still names each eval whose cases file is missing, when two evals name the same file', async () => {
    const workspace = await createWorkspace()
    writeWorkspace(workspace.root, { evals: 2, cases: 3 })
    await rm(join(workspace.root, 'golden/items.jsonl'))
    const config = await resolveConfig(workspace.root, { flags: { record: 'replay' }, env: {} })
    const error = (await runEvals({ config }).catch((e: unknown) => e)) as AggregateAssayError
    expect(error).toBeInstanceOf(AggregateAssayError)
    expect(error.errors.map((entry) => entry.message)).toEqual(['The cases file of eval "news 0" does not exist.', 'The cases file of eval "news 1" does not exist.'])
  })
})
