import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { runCli, startCli } from '../helpers/cli.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
const servers: FakeOllama[] = []

/** n cases for the greet template. */
function people(n: number): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ name: `p${i}`, vars: { name: `P${i}`, city: 'York' } })).join('\n') + '\n'
}

async function fixtureFiles(root: string): Promise<string[]> {
  return (await readdir(join(root, 'fixtures/greet')).catch(() => [] as string[])).sort()
}

describe('fixtures check and prune (the real CLI)', () => {
  it('passes fresh fixtures, names a hand-edited or corrupt one, and prunes the unused after a full run', async () => {
    workspace = await createWorkspace(basicWorkspace)
    const server = await startFakeOllama()
    servers.push(server)
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    const clean = await runCli(['fixtures', 'check'], { cwd: workspace.root })
    expect(clean).toMatchObject({ code: 0, stdout: expect.stringContaining('2 fixtures in fixtures/\n\n0 invalid, 0 unused, 0 leftover') })

    const [first, second] = await fixtureFiles(workspace.root)
    const path = join(workspace.root, 'fixtures/greet', first!)
    const fixture = JSON.parse(await readFile(path, 'utf8'))
    fixture.request.messages[1].content = 'edited by hand'
    await writeFile(path, JSON.stringify(fixture))
    await writeFile(join(workspace.root, 'fixtures/greet', second!), '{"schema": 1, "key": "trunc')
    await writeFile(join(workspace.root, 'fixtures/greet/x.json.123.abcd.tmp'), '{"half')
    const broken = await runCli(['fixtures', 'check'], { cwd: workspace.root })
    expect(broken.code).toBe(1)
    expect(broken.stdout).toContain(`invalid  fixtures/greet/${first}: its key`)
    expect(broken.stdout).toContain('is not the hash of its request')
    expect(broken.stdout).toContain(`invalid  fixtures/greet/${second}: not valid JSON`)
    expect(broken.stdout).toContain('leftover fixtures/greet/x.json.123.abcd.tmp')

    // A full run that uses only one case leaves the other fixture unused.
    await workspace.write('golden/people.jsonl', '{"name": "only", "vars": {"name": "Grace", "city": "Arlington"}}\n')
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    const prune = await runCli(['fixtures', 'prune'], { cwd: workspace.root })
    expect(prune).toMatchObject({ code: 0, stdout: 'removed 2 unused fixtures and 1 leftover file\n' })
    // Only the run's own fixture is left, and it is valid.
    expect(await fixtureFiles(workspace.root)).toHaveLength(1)
    expect((await runCli(['fixtures', 'check'], { cwd: workspace.root })).code).toBe(0)
  })

  it('refuses to prune after a filtered run', async () => {
    workspace = await createWorkspace(basicWorkspace)
    const server = await startFakeOllama()
    servers.push(server)
    await runCli(['run', 'greet', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    const prune = await runCli(['fixtures', 'prune'], { cwd: workspace.root })
    expect(prune).toMatchObject({ code: 2, stderr: expect.stringContaining('Prune needs a full run to know which fixtures are used: the last run was filtered.') })
  })
})

describe('interrupting a recording run', () => {
  it('Ctrl-C: stops starting calls, writes partial reports marked interrupted, exits 130, fixtures valid', async () => {
    workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people(40) })
    const server = await startFakeOllama({ delayMs: 150 })
    servers.push(server)
    const { child, done } = startCli(['run', '--record', 'new', '--concurrency', '2'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    while (server.requests.length < 6) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill('SIGINT')
    const run = await done
    expect(run.code).toBe(130)
    expect(run.stderr).toContain('SIGINT: finishing the calls in flight')
    const results = JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults
    expect(results.interrupted).toBe(true)
    expect(results.summary.cases.total).toBeLessThan(40)
    // Calls in flight (two at most) may finish; no call waiting for a slot starts.
    expect(server.requests.length).toBeLessThanOrEqual(10)
    expect((await runCli(['fixtures', 'check'], { cwd: workspace.root })).code).toBe(0)
  })

  it('SIGKILL mid-recording leaves only valid fixtures, and a rerun in new mode records just the rest', async () => {
    workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people(30) })
    const server = await startFakeOllama({ delayMs: 60 })
    servers.push(server)
    const { child, done } = startCli(['run', '--record', 'new', '--concurrency', '4'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    // Count whole fixtures only: a write in progress is a .tmp file beside them.
    while ((await fixtureFiles(workspace.root)).filter((file) => file.endsWith('.json')).length < 8) await new Promise((resolve) => setTimeout(resolve, 10))
    child.kill('SIGKILL')
    await done
    const check = await runCli(['fixtures', 'check'], { cwd: workspace.root })
    expect(check.stdout).toContain('0 invalid')
    expect(check.code).toBe(0)
    const recorded = (await fixtureFiles(workspace.root)).filter((file) => file.endsWith('.json')).length
    expect(recorded).toBeGreaterThanOrEqual(8)
    expect(recorded).toBeLessThan(30)

    const rerunServer = await startFakeOllama()
    servers.push(rerunServer)
    const rerun = await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: rerunServer.host } })
    expect(rerun.code).toBe(0)
    expect(rerunServer.requests).toHaveLength(30 - recorded)
    expect(rerun.stdout).toContain(`Calls     ${recorded} from fixtures, ${30 - recorded} live`)
  })

  it('two processes recording into the same fixtures at once leave every file valid', async () => {
    workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': people(25) })
    const server = await startFakeOllama({ delayMs: 5 })
    servers.push(server)
    const env = { OLLAMA_HOST: server.host }
    const [a, b] = await Promise.all([
      runCli(['run', '--record', 'all', '--reporter', 'dot'], { cwd: workspace.root, env }),
      runCli(['run', '--record', 'all', '--reporter', 'dot', '--outputDir', 'other'], { cwd: workspace.root, env }),
    ])
    expect([a.code, b.code]).toEqual([0, 0])
    expect(await fixtureFiles(workspace.root)).toHaveLength(25)
    expect((await runCli(['fixtures', 'check'], { cwd: workspace.root })).stdout).toContain('0 invalid')
  })
})
