import { readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const files = {
  ...basicWorkspace,
  'evals/templates/greeter/greet_v3.yaml': 'active: false\nuser_prompt_template: "Hi {{name}}"\nvariables:\n  - name: str\n',
  'evals/templates/other/shout_v1.yaml': 'user_prompt_template: "Shout {{name}}!"\nvariables:\n  - name: str\n',
  'evals/shout.eval.ts': `import { evaluate } from 'assay'\nevaluate('shout', { template: 'other/shout@1', model: 'llama3.2', cases: [{ name: 'x', vars: { name: 'X' } }] })\n`,
}

describe('template coverage (the real CLI)', () => {
  it('`assay list --coverage` lists every version: the unpinned name counts for its latest active one only', async () => {
    const workspace = await createWorkspace(files)
    const listed = await runCli(['list', '--coverage'], { cwd: workspace.root })
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain('Template coverage: 2 of 3 active template versions used (66.7%)')
    expect(listed.stdout).toMatch(/greeter\/greet@1 {2}active {4}UNUSED\n/)
    expect(listed.stdout).toMatch(/greeter\/greet@2 {2}active {4}used by greet\n/)
    expect(listed.stdout).toMatch(/greeter\/greet@3 {2}inactive {2}UNUSED\n/)
    expect(listed.stdout).toMatch(/other\/shout@1 {4}active {4}used by shout\n/)
    const filtered = await runCli(['list', '--coverage', '-t', 'shout'], { cwd: workspace.root })
    expect(filtered.stdout).toContain('Template coverage (of the selected evals only): 1 of 3')
  })

  it('fails a full run under coverage.templates, naming the unused version, and passes once every active version is used', async () => {
    const workspace = await createWorkspace({ ...files, 'assay.config.ts': 'export default { coverage: { templates: 1 } }\n' })
    const server = await startFakeOllama()
    const env = { OLLAMA_HOST: server.host }
    const run = await runCli(['run', '--record', 'new'], { cwd: workspace.root, env })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Evals     2 passed (2)')
    expect(run.stdout).toContain('Coverage  2 of 3 active template versions used (66.7%); coverage.templates 100% NOT met: the run fails; unused: greeter/greet@1')
    const results = JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults
    expect(results.status).toBe('fail')
    expect(results.coverage).toMatchObject({ activeUsed: 2, active: 3, gate: { min: 1, pass: false } })
    expect(results.coverage!.templates.find((entry) => entry.version === '1')).toMatchObject({ name: 'greeter/greet', active: true, usedBy: [] })

    // A filtered run speaks for part of the suite: it neither measures coverage nor fails on it.
    expect((await runCli(['run', '-t', 'shout'], { cwd: workspace.root, env })).code).toBe(0)

    await workspace.write('evals/old.eval.ts', `import { evaluate } from 'assay'\nevaluate('old greet', { template: 'greeter/greet@1', model: 'llama3.2', cases: [{ name: 'a', vars: { name: 'A' } }] })\n`)
    const covered = await runCli(['run', '--record', 'new'], { cwd: workspace.root, env })
    expect(covered.code).toBe(0)
    expect(covered.stdout).toContain('Coverage  3 of 3 active template versions used (100.0%); coverage.templates 100% met')
  })
})
