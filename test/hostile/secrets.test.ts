import { readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { spawnCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { createWorkspace } from '../helpers/workspace.js'
import { allFiles, filesHolding, SECRET, secretFiles } from './workspace.js'

// The eval file reads the secret from its own process's environment: these runs are real processes.
const evalFile = `import { assert, evaluate } from 'assay'
evaluate('greet', {
  template: 'greeter/greet',
  model: 'llama3.2',
  options: { temperature: 0 },
  cases: () => ['echo', 'echo-400', 'echo-500', 'quiet'].map((name) => ({ name, vars: { name, token: process.env.API_TOKEN } })),
  assert: [assert.notContains([process.env.API_TOKEN])],
})
`

describe('a secret from the environment, with redact.patterns set', () => {
  it('fails the case whose answer leaked it, and is in no byte of any file and no output line, even echoed in error bodies', async () => {
    const workspace = await createWorkspace({ ...secretFiles, 'evals/greet.eval.ts': evalFile })
    const server = await startFakeOllama({
      respond: (request) => {
        const prompt = request.messages.at(-1)!.content
        if (prompt.startsWith('Greet echo-400')) return { status: 400, error: `invalid prompt: ${prompt}` }
        if (prompt.startsWith('Greet echo-500')) return { status: 500, error: `internal error while handling ${prompt}` }
        return prompt.startsWith('Greet echo.') ? `Hello! Your ${prompt}` : 'Hello!'
      },
    })
    const env = { OLLAMA_HOST: server.host, API_TOKEN: SECRET, GITHUB_ACTIONS: 'true' }
    const run = await spawnCli(['run', '--record', 'new'], { cwd: workspace.root, env })
    expect(server.requests.some((request) => request.messages.at(-1)!.content.includes(SECRET))).toBe(true)
    expect(run.code).toBe(1)
    // The leak is judged on the real answer: that case fails, and its reason names the marker, not the secret.
    expect(run.stdout).toContain('     ✗ echo\n         does not contain "[REDACTED]": contains "[REDACTED]"\n')
    expect(run.stdout).toMatch(/ {5}! echo-400\n {9}ASSAY_PROVIDER_FAILED Ollama at \S+ failed with HTTP 400: invalid prompt: Greet echo-400\. \(token \[REDACTED\]\)\n/)
    expect(run.stdout).toMatch(/ {5}! echo-500\n {9}ASSAY_PROVIDER_FAILED Ollama at \S+ failed with HTTP 500: internal error while handling Greet echo-500\. \(token \[REDACTED\]\) \(gave up after 4 tries\)\n/)
    expect(run.stdout).toMatch(/\n::error file=evals\/greet\.eval\.ts,title=greet > echo-400::Ollama at \S+ failed with HTTP 400: invalid prompt: Greet echo-400\. \(token \[REDACTED\]\)\n/)
    expect(`${run.stdout}\n${run.stderr}`).not.toContain(SECRET)
    expect(await filesHolding(workspace.root, SECRET)).toEqual([])
    expect(await allFiles(workspace.root)).toEqual(expect.arrayContaining(['reports/results.json', 'reports/index.html', 'reports/junit.xml', 'reports/metrics.jsonl']))

    const baseline = await spawnCli(['baseline', 'save'], { cwd: workspace.root, env })
    expect(baseline.code).toBe(0)
    // A shard blob and the reports merged from it.
    const shard = await spawnCli(['run', '--record', 'new', '--shard', '1/1'], { cwd: workspace.root, env })
    const merged = await spawnCli(['merge-reports'], { cwd: workspace.root, env })
    expect(merged.code).toBe(1)
    expect(`${shard.stdout}${shard.stderr}${merged.stdout}${merged.stderr}${baseline.stdout}`).not.toContain(SECRET)
    const replay = await spawnCli(['run', '--record', 'replay'], { cwd: workspace.root, env: { ...env, CI: '1' } })
    // What a replay sees: the stored, redacted answer, so notContains(secret) passes (docs/security.md).
    const replayed = JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults
    expect(replayed.evals[0]!.cases.map((entry) => [entry.id, entry.status])).toEqual([['echo', 'pass'], ['echo-400', 'error'], ['echo-500', 'error'], ['quiet', 'pass']])
    expect(`${replay.stdout}\n${replay.stderr}`).not.toContain(SECRET)
    expect(await filesHolding(workspace.root, SECRET)).toEqual([])
    expect(await allFiles(workspace.root)).toEqual(expect.arrayContaining(['golden/baselines/greet.json', 'reports/blob-1-of-1.json']))
  })

  it('refuses a second case whose request differs from the first only in the secret, naming both, in record and replay', async () => {
    const workspace = await createWorkspace({
      ...secretFiles,
      'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', {
  template: 'greeter/greet',
  model: 'llama3.2',
  cases: () => [{ name: 'alpha', vars: { name: 'Ada', token: process.env.API_TOKEN } }, { name: 'beta', vars: { name: 'Ada', token: process.env.OTHER_TOKEN } }],
  assert: [assert.contains('Hello')],
})
`,
    })
    const server = await startFakeOllama({ respond: () => 'Hello!' })
    const env = { OLLAMA_HOST: server.host, API_TOKEN: SECRET, OTHER_TOKEN: 'sk-live-0000other' }
    for (const args of [['run', '--record', 'new', '--concurrency', '1'], ['run', '--record', 'replay']]) {
      const run = await spawnCli(args, { cwd: workspace.root, env })
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('! beta\n         ASSAY_FIXTURE_COLLISION evals/greet.eval.ts: case "beta" of eval "greet" and case "alpha" of eval "greet" send requests that differ only in text redact.patterns hides, so they would share one fixture (sample 1) and replay would give one the other\'s answer.')
      expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET)
    }
    expect(server.requests).toHaveLength(1)
    expect(await filesHolding(workspace.root, SECRET)).toEqual([])
  })
})
