import { describe, expect, it } from 'vitest'
import { runCli, startCli, until } from '../helpers/cli.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
let server: FakeOllama | undefined
const files = {
  ...basicWorkspace,
  'evals/templates/other/shout_v1.yaml': 'user_prompt_template: "Shout {{name}}!"\nvariables:\n  - name: str\n',
  'evals/greet.eval.ts': `import { evaluate } from 'assay'\nevaluate('greet', { template: 'greeter/greet', model: 'llama3.2', cases: 'golden/people.jsonl' })\n`,
  'evals/shout.eval.ts': `import { evaluate } from 'assay'\nevaluate('shout', { template: 'other/shout', model: 'llama3.2', cases: [{ name: 'x', vars: { name: 'X' } }] })\n`,
}

describe('--watch (the real CLI)', () => {
  it('reruns only the evals a saved eval file, template or cases file affects', async () => {
    workspace = await createWorkspace(files)
    server = await startFakeOllama()
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    let output = ''
    const { child, done } = startCli(['--watch', '--reporter', 'default'], { cwd: workspace.root, env: { CI: '1' } })
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    try {
      let at = await until(() => output, 'watching for changes', 0)
      expect(output).toContain('RUN 2 evals')

      await workspace.write('evals/shout.eval.ts', files['evals/shout.eval.ts'].replace("'shout', {", "'shout', { threshold: 0.5,"))
      at = await until(() => output, 'change in evals/shout.eval.ts: rerunning shout', at)
      at = await until(() => output, 'RUN 1 eval, 1 case', at)
      at = await until(() => output, 'watching for changes', at)

      await workspace.write('golden/people.jsonl', '{"name": "ada", "vars": {"name": "Ada", "city": "London"}}\n')
      at = await until(() => output, 'change in golden/people.jsonl: rerunning greet', at)
      at = await until(() => output, 'RUN 1 eval, 1 case', at)
      at = await until(() => output, 'watching for changes', at)

      await workspace.write('evals/templates/other/shout_v1.yaml', 'user_prompt_template: "SHOUT {{name}}!"\nvariables:\n  - name: str\n')
      at = await until(() => output, 'change in evals/templates/other/shout_v1.yaml: rerunning shout', at)
      // The edited prompt has no fixture yet: replay says which case to record.
      await until(() => output, 'No fixture for case "x"', at)
    } finally {
      child.kill('SIGTERM')
      await done
    }
  })
})
