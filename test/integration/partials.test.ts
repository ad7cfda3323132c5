import { describe, expect, it } from 'vitest'
import { runCli, startCli, until } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const files = {
  ...basicWorkspace,
  'evals/templates/greeter/greet_v2.yaml': `version: "2"
system_prompt: "{{> house-style}}"
user_prompt_template: "Greet {{name}} from {{city}}."
variables:
  - name: str
  - city: str
`,
  'evals/templates/partials/house-style.md': 'Be brief. Never use exclamation marks.\n',
  'evals/templates/other/shout_v1.yaml': 'user_prompt_template: "Shout {{name}}!"\nvariables:\n  - name: str\n',
  'evals/shout.eval.ts': `import { evaluate } from 'assay'\nevaluate('shout', { template: 'other/shout', model: 'llama3.2', cases: [{ name: 'x', vars: { name: 'X' } }] })\n`,
}

describe('partials (the real CLI)', () => {
  it("send the partial's text in the request, and a changed partial needs a new recording", async () => {
    const workspace = await createWorkspace(files)
    const server = await startFakeOllama()
    const env = { OLLAMA_HOST: server.host }
    expect((await runCli(['run', '--record', 'new', '--no-cache', '-t', 'greet'], { cwd: workspace.root, env })).code).toBe(0)
    expect(server.requests[0]!.messages[0]).toEqual({ role: 'system', content: 'Be brief. Never use exclamation marks.\n' })
    expect((await runCli(['run', '-t', 'greet'], { cwd: workspace.root, env: { CI: '1' } })).code).toBe(0)

    await workspace.write('evals/templates/partials/house-style.md', 'Be warm.\n')
    const replay = await runCli(['run', '-t', 'greet'], { cwd: workspace.root, env: { CI: '1' } })
    expect(replay.code).toBe(1)
    expect(replay.stdout).toContain('No fixture for case "ada"')

  })

  it('stop the run before any call when a partial is missing, naming it', async () => {
    const workspace = await createWorkspace({ ...files, 'evals/templates/partials/house-style.md': '' })
    await workspace.write('evals/templates/greeter/greet_v2.yaml', files['evals/templates/greeter/greet_v2.yaml'].replace('house-style', 'house/style'))
    const run = await runCli(['run'], { cwd: workspace.root, env: { CI: '1' } })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('system_prompt includes {{> house/style}}, but there is no partial "house/style"')
  })

  it('--watch reruns the evals whose templates include a saved partial', async () => {
    const workspace = await createWorkspace(files)
    const server = await startFakeOllama()
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    let output = ''
    const { child, done } = startCli(['--watch', '--reporter', 'default'], { cwd: workspace.root, env: { CI: '1' } })
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    try {
      const at = await until(() => output, 'watching for changes', 0)
      await workspace.write('evals/templates/partials/house-style.md', 'Be warm.\n')
      await until(() => output, 'change in evals/templates/partials/house-style.md: rerunning greet\n', at)
    } finally {
      child.kill('SIGTERM')
      await done
    }
  })
})
