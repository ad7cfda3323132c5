import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { runCli, startCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

describe('one run per set of reports', () => {
  it('refuses a second run while one is writing the reports, naming the first; the first finishes whole', async () => {
    const workspace = await createWorkspace(basicWorkspace)
    const server = await startFakeOllama({ delayMs: 2000 })
    const env = { OLLAMA_HOST: server.host }
    const first = startCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env })
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    const second = await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env })
    expect(second.code).toBe(2)
    expect(second.stderr).toContain(`ASSAY_WORKSPACE_BUSY .assay/locks/reports.lock: Another assay run is writing reports/ in this workspace: pid ${first.child.pid} on ${hostname()}, \`assay run --record off --no-cache\``)
    expect((await first.done).code).toBe(0)
    // Once it is done, its lock is gone.
    expect((await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env })).code).toBe(0)
  })

  it('takes over the lock of a process that is gone', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      '.assay/locks/reports.lock': JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), command: 'assay run', startedAt: '2026-01-01T00:00:00.000Z' }),
    })
    const server = await startFakeOllama()
    const run = await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(0)
  })
})
