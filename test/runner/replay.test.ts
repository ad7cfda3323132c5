import { describe, expect, it } from 'vitest'
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
    const config = await resolveConfig(workspace.root, { record: 'replay' }, {})
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
