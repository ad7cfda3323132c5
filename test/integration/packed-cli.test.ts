import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { installPackedAssay } from '../helpers/packed.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

/** The installed CLI, as `npx assay` runs it: node_modules/assay/bin/assay.js, in its own process. */
function assay(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(cwd, 'node_modules/assay/bin/assay.js'), ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env } }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe('assay installed from its tarball, with only its production dependencies', () => {
  // The dependencies bundled into dist/ are dev dependencies: a user's install must not need them.
  it('records from a live server, replays under CI and writes every report', async () => {
    const project = await createWorkspace(basicWorkspace)
    await installPackedAssay(project.root)
    const server = await startFakeOllama()
    try {
      const recorded = await assay(project.root, ['run', '--record', 'new'], { OLLAMA_HOST: server.host })
      expect(recorded.stderr).toBe('')
      expect(recorded.code).toBe(0)
      expect(server.requests).toHaveLength(2)
    } finally {
      await server.close()
    }
    const replayed = await assay(project.root, ['run'], { CI: '1', OLLAMA_HOST: 'http://127.0.0.1:9' })
    expect(replayed.code).toBe(0)
    expect(replayed.stdout).toContain('Calls     2 from fixtures')
    const results = JSON.parse(await readFile(join(project.root, 'reports/results.json'), 'utf8')) as { status: string }
    expect(results.status).toBe('pass')
    for (const file of ['junit.xml', 'index.html', 'metrics.jsonl']) expect((await readFile(join(project.root, 'reports', file), 'utf8')).length).toBeGreaterThan(0)
    const listed = await assay(project.root, ['list'], {})
    expect(listed.stdout).toContain('greet')
    // The installed package keeps the code caches of the run command and of jiti beside its dist/.
    const cached = await readdir(join(project.root, 'node_modules/assay/.code-cache'))
    expect(cached.filter((file) => /^run-[\w-]+\.body\.js-.*\.bin$/.test(file))).toHaveLength(1)
    expect(cached.filter((file) => /^jiti\.cjs-.*\.bin$/.test(file))).toHaveLength(1)
  }, 120_000)
})
