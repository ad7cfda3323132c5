import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { runCli, startCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const greet = (cases: string, name = 'greet') => `import { assert, evaluate } from 'assay'
evaluate(${JSON.stringify(name)}, { template: 'greeter/greet@1', model: 'llama3.2', cases: ${JSON.stringify(cases)}, assert: [assert.contains('Greet')] })
`

/** Nine-fold aliases, eleven levels deep: 500 bytes that expand to 9^11 (31 billion) values. */
function aliasBomb(): string {
  const names = 'abcdefghijkl'
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`)
  return `- name: bomb\n  vars:\n    name: Ada\n    ${lines.join('\n    ')}\n`
}

describe('hostile cases files', () => {
  it('an alias bomb is refused at once, naming the file, with exit 2', async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/bomb.yaml': aliasBomb(), 'evals/greet.eval.ts': greet('golden/bomb.yaml') })
    const run = await runCli(['list'], { cwd: workspace.root })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ASSAY_YAML_TOO_LARGE golden/bomb.yaml: The YAML expands to more than 1,000,000 values once its aliases (*name) are followed: it looks like an alias bomb.')
    expect(run.stderr).not.toContain('a bug in assay')
  })

  it('a Latin-1 file is an error naming its first bad line, not U+FFFD in a prompt', async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'evals/greet.eval.ts': greet('golden/latin1.jsonl') })
    await writeFile(join(workspace.root, 'golden/latin1.jsonl'), Buffer.from('{"name": "ok", "vars": {"name": "Ada"}}\n{"name": "zoe", "vars": {"name": "Zoé"}}\n', 'latin1'))
    const run = await runCli(['list'], { cwd: workspace.root })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ASSAY_CASES_INVALID golden/latin1.jsonl:2: The file is not UTF-8 text (first bad byte on line 2); it may be Latin-1 or Windows-1252.')
    expect(run.stderr).toContain('Fix: Save it as UTF-8 (e.g. iconv -f latin1 -t utf-8 golden/latin1.jsonl > fixed && mv fixed golden/latin1.jsonl).')
  })

  it('a BOM is accepted alike in .json, .jsonl and .yaml, and is not part of the first value', async () => {
    const bom = '\ufeff'
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'golden/a.json': `${bom}[{"name": "ada", "vars": {"name": "Ada"}}]`,
      'golden/b.jsonl': `${bom}{"name": "ada", "vars": {"name": "Ada"}}\n`,
      'golden/c.yaml': `${bom}- name: ada\n  vars:\n    name: Ada\n`,
      'evals/greet.eval.ts': [greet('golden/a.json', 'a'), greet('golden/b.jsonl', 'b').split('\n')[1], greet('golden/c.yaml', 'c').split('\n')[1]].join('\n'),
    })
    const server = await startFakeOllama()
    const run = await runCli(['run', '--record', 'off', '--no-cache'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(0)
    expect(server.requests.map((request) => request.messages.at(-1)!.content)).toEqual(['Greet Ada.', 'Greet Ada.', 'Greet Ada.'])
    const results = JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as { evals: { cases: { id: string }[] }[] }
    expect(results.evals.map((entry) => entry.cases[0]!.id)).toEqual(['ada', 'ada', 'ada'])
  })
})

describe('hostile names and templates', () => {
  it('eval names that share a folder are refused at load, naming both evals and files', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/a.eval.ts': greet('golden/people.jsonl', 'Foo Bar'),
      'evals/b.eval.ts': greet('golden/people.jsonl', 'foo-bar'),
      'evals/c.eval.ts': greet('golden/people.jsonl', '***'),
      'evals/d.eval.ts': greet('golden/people.jsonl', '!!!'),
      'evals/greet.eval.ts': greet('golden/people.jsonl', `${'x'.repeat(80)} one`),
      'evals/e.eval.ts': greet('golden/people.jsonl', `${'x'.repeat(80)} two`),
    })
    const run = await runCli(['list'], { cwd: workspace.root })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ASSAY_EVAL_DUPLICATE evals/a.eval.ts: Evals "Foo Bar" (evals/a.eval.ts) and "foo-bar" (evals/b.eval.ts) would share the fixture folder and baseline file "foo-bar".')
    expect(run.stderr).toContain('ASSAY_EVAL_DUPLICATE evals/c.eval.ts: Evals "***" (evals/c.eval.ts) and "!!!" (evals/d.eval.ts) would share the fixture folder and baseline file "eval".')
    expect(run.stderr).toContain(`Evals "${'x'.repeat(80)} two" (evals/e.eval.ts) and "${'x'.repeat(80)} one" (evals/greet.eval.ts) would share`)
  })

  it('{{constructor}}, {{__proto__}}, lookup "constructor" and {{log}} are refused where the template is loaded', async () => {
    for (const [expression, problem] of <[string, string][]>[
      ['{{constructor}}', '{{constructor}} reads "constructor", which every object has, not a variable'],
      ['{{name.__proto__}}', '{{name.__proto__}} reads "__proto__", which every object has, not a variable'],
      ['{{lookup name "constructor"}}', '{{lookup "constructor"}} looks up a property every object has, not a variable'],
      ['{{log name}}', '{{log}} calls the "log" helper, which writes to the console instead of the prompt'],
    ]) {
      const workspace = await createWorkspace({
        ...basicWorkspace,
        'evals/templates/greeter/greet_v2.yaml': `version: "2"\nsystem_prompt: You greet.\nuser_prompt_template: "Greet {{name}}.\\n${expression.replaceAll('"', '\\"')}"\n`,
      })
      const run = await runCli(['list'], { cwd: workspace.root })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(`ASSAY_TEMPLATE_INVALID evals/templates/greeter/greet_v2.yaml: user_prompt_template (line 2 of it): ${problem}.`)
    }
  })

  it('a fixture whose request was edited by hand is refused on replay', async () => {
    const workspace = await createWorkspace(basicWorkspace)
    const server = await startFakeOllama()
    expect((await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    const [file] = await readdir(join(workspace.root, 'fixtures/greet'))
    const path = join(workspace.root, 'fixtures/greet', file!)
    await writeFile(path, (await readFile(path, 'utf8')).replace('"content": "Greet A', '"content": "Greet Z'))
    const replay = await runCli(['run'], { cwd: workspace.root, env: { CI: '1' } })
    expect(replay.code).toBe(1)
    expect(replay.stdout).toMatch(/ASSAY_FIXTURE_INVALID fixtures\/greet\/[0-9a-f]{64}\.json: The fixture holds a request that hashes to [0-9a-f]{12}…, not to its key [0-9a-f]{12}…: it was edited by hand\./)
  })
})

describe('signals while loading', () => {
  it('SIGTERM ends a run that is still loading its eval files at once, with exit 130, leaving the last reports alone', async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'evals/slow.eval.ts': `await new Promise((resolve) => setTimeout(resolve, 120_000))\n` })
    const { child, done } = startCli(['run', '--record', 'off'], { cwd: workspace.root })
    await new Promise((resolve) => setTimeout(resolve, 1500))
    child.kill('SIGTERM')
    const run = await done
    expect(run.code).toBe(130)
    expect(run.stderr).toBe('\nassay: SIGTERM while loading eval files and cases: nothing has run, so no report is written.\n')
    expect(await readdir(workspace.root)).not.toContain('reports')
  })
})
