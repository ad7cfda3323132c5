import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

/** A `git` first on PATH that logs its arguments and fails, as git does outside a repository. */
async function loggingGit() {
  const bin = await createWorkspace()
  const log = join(bin.root, 'calls.log')
  writeFileSync(join(bin.root, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexit 128\n`)
  chmodSync(join(bin.root, 'git'), 0o755)
  return { path: `${bin.root}:${process.env.PATH}`, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) }
}

describe('the git lookup of a run', () => {
  it('is made once for the HTML report and the history, also by a run that runs no sample (a rerun with nothing failed)', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      // A checkout, as far as the run can tell: git itself is the logging one below.
      '.git/HEAD': 'ref: refs/heads/main\n',
      'assay.config.ts': "export default { cache: { enabled: false }, reporters: ['default', 'json', 'html'] }\n",
      'golden/people.jsonl': ['ada', 'bob'].map((name) => JSON.stringify({ name, vars: { name, city: 'Leeds' } })).join('\n'),
      'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', { model: 'llama3.2', template: 'greeter/greet@1', cases: 'golden/people.jsonl', assert: [assert.contains('Greet')] })
`,
    })
    const server = await startFakeOllama({ respond: (request) => `echo: ${request.messages.at(-1)!.content}` })
    expect((await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)

    const git = await loggingGit()
    const again = await spawnCli(['run', '--record', 'off', '--failed'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host, PATH: git.path } })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('0 live (and 2 kept from the last run)')
    expect(existsSync(join(workspace.root, 'reports/index.html'))).toBe(true)
    expect(git.calls()).toEqual(['rev-parse HEAD --short HEAD'])

    // merge-reports writes the history and the HTML report of one whole run: one lookup too.
    expect((await runCli(['run', '--record', 'off', '--shard', '1/1'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    const merging = await loggingGit()
    const merged = await spawnCli(['merge-reports'], { cwd: workspace.root, env: { PATH: merging.path } })
    expect(merged.code).toBe(0)
    expect(existsSync(join(workspace.root, 'reports/index.html'))).toBe(true)
    expect(merging.calls()).toEqual(['rev-parse HEAD --short HEAD'])
  })
})
