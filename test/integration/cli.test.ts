import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { normalize, repoRoot, runCli, spawnCli } from '../helpers/cli.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
let server: FakeOllama | undefined
const readResults = (root: string) => JSON.parse(readFileSync(join(root, 'reports/results.json'), 'utf8')) as RunResults

describe('assay run (the real CLI)', () => {
  it('records against a live server, then replays in CI with the server stopped', async () => {
    workspace = await createWorkspace(basicWorkspace)
    server = await startFakeOllama()
    const record = await runCli(['run'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(record.code).toBe(0)
    expect(record.stdout).toContain('(record: new)')
    expect(record.stdout).toContain('0 from fixtures, 2 live')
    await server.close()
    server = undefined

    const replay = await runCli([], { cwd: workspace.root, env: { CI: 'true', OLLAMA_HOST: 'http://127.0.0.1:9' } })
    expect(replay.stderr).toBe('')
    expect(normalize(replay.stdout, workspace.root)).toBe(`
 RUN 1 eval, 2 cases (record: replay)

 ✓ greet evals/greet.eval.ts 2/2 cases <time>

 Evals     1 passed (1)
 Cases     2 passed (2)
 Calls     2 from fixtures, 0 live
 Tokens    live 0 prompt + 0 completion, <time> model time; replayed 16 prompt + 10 completion, <time> model time (as recorded)
 Duration  <time>
 Reports   reports/results.json, reports/junit.xml, reports/index.html, reports/metrics.jsonl

`)
    expect(replay.code).toBe(0)
    expect(readResults(workspace.root)).toMatchObject({ schemaVersion: 1, status: 'pass', record: 'replay', summary: { calls: { fixture: 2, live: 0 } } })
  })

  it('exits 1 and lists failing cases with reasons when an eval fails', async () => {
    workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', { template: 'greeter/greet', model: 'llama3.2', cases: 'golden/people.jsonl', assert: [assert.contains('Ada'), assert.length({ max: 10 })] })
`,
    })
    server = await startFakeOllama()
    const run = await runCli([], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(1)
    expect(normalize(run.stdout, workspace.root)).toContain(` ✗ greet evals/greet.eval.ts 0/2 cases (0%, threshold 100%) <time>
     suggestion: pass rate 0.0% (below 80%): State the requirement the failures miss more strongly; Add an example that meets it; Use a stricter system prompt
     ✗ ada
         length <= 10 chars: 28 chars, above the maximum of 10
     ✗ alan
         contains "Ada": missing "Ada" (0 of 1 found)
         length <= 10 chars: 31 chars, above the maximum of 10
`)
    expect(readResults(workspace.root).status).toBe('fail')
  })

  it('names the case and the record command when a fixture is missing in replay, and exits 1', async () => {
    workspace = await createWorkspace(basicWorkspace)
    const run = await runCli(['run'], { cwd: workspace.root, env: { CI: '1' } })
    expect(run.code).toBe(1)
    const out = normalize(run.stdout, workspace.root)
    expect(out).toMatch(/! ada\n {9}ASSAY_FIXTURE_MISSING evals\/greet\.eval\.ts: No fixture for case "ada" \(sample 1\) of eval "greet" in replay mode/)
    expect(out.match(/Fix: Record it against a running Ollama with: npx assay run evals\/greet\.eval\.ts -t "\^greet\$" --record new/g)).toHaveLength(1)
  })

  it('lists evals with their template, model and case count', async () => {
    workspace = await createWorkspace(basicWorkspace)
    const list = await runCli(['list'], { cwd: workspace.root })
    expect(list).toEqual({ code: 0, stderr: '', stdout: 'evals/greet.eval.ts\n  greet  (template greeter/greet@2, model llama3.2; 2 cases)\n\n1 eval\n' })
  })

  it('prints help and version (bin/assay.js, a process of its own)', async () => {
    workspace = await createWorkspace()
    const help = await spawnCli(['--help'], { cwd: workspace.root })
    expect(help.code).toBe(0)
    for (const text of ['run [...filters]', 'list [...filters]', '--record <mode>', '--concurrency <n>', '--repeat <n>', '--baseline-variant <name>', '-t, --testNamePattern <pattern>']) {
      expect(help.stdout).toContain(text)
    }
    const version = await spawnCli(['--version'], { cwd: workspace.root })
    expect(version.stdout).toMatch(/^assay\/\d+\.\d+\.\d+/)
  })
})

describe('user mistakes: exit 2, one paragraph naming the file and the fix, no stack trace', () => {
  const cases: [string, Record<string, string>, string[], RegExp][] = [
    [
      'bad YAML in a template',
      { 'evals/templates/greeter/greet_v2.yaml': 'user_prompt_template: "Greet {{name}}"\nvariables:\n  - name: str\n city: [\n' },
      [],
      /ASSAY_TEMPLATE_INVALID evals\/templates\/greeter\/greet_v2\.yaml:4: The template is not valid YAML: .*\n {4}Fix: /,
    ],
    [
      'an unknown template',
      { 'evals/greet.eval.ts': `import { evaluate } from 'assay'\nevaluate('greet', { template: 'greeter/hello', model: 'm', cases: [{ vars: {} }] })\n` },
      [],
      /ASSAY_TEMPLATE_NOT_FOUND evals\/greet\.eval\.ts: Template "greeter\/hello" was not found in evals\/templates\/\.\n {4}Fix: Use one of: greeter\/greet \(v1, v2\)\./,
    ],
    [
      'a missing variable',
      { 'golden/people.jsonl': '{"name": "ada", "vars": {"name": "Ada"}}\n' },
      [],
      /ASSAY_TEMPLATE_VARIABLE evals\/templates\/greeter\/greet_v2\.yaml: Case "ada" of eval "greet" is missing variable "city" \(str\) for template greeter\/greet@2\.\n {4}Fix: Add "city" to the case's vars/,
    ],
    [
      'a duplicate eval name',
      { 'evals/again.eval.ts': basicWorkspace['evals/greet.eval.ts']! },
      [],
      /ASSAY_EVAL_DUPLICATE evals\/again\.eval\.ts: Eval name "greet" is declared 2 times \(in evals\/again\.eval\.ts, evals\/greet\.eval\.ts\)\.\n {4}Fix: Give each evaluate\(\) call its own name/,
    ],
    [
      'a bad config field',
      { 'assay.config.ts': `export default { concurrency: 'lots' }\n` },
      [],
      /ASSAY_CONFIG_INVALID assay\.config\.ts: Invalid config: concurrency: Invalid input: expected number, received string\.\n {4}Fix: Correct or remove the field named; docs\/config\.md/,
    ],
    ['an unknown record mode', {}, ['--record', 'sometimes'], /ASSAY_USAGE --record "sometimes" is not a record mode\.\n {4}Fix: Use one of replay, new, all, off\./],
    ['an unknown flag', {}, ['--recrd', 'new'], /ASSAY_USAGE Unknown option `--recrd`\.\n {4}Fix: Run `assay run --help` for its arguments and flags\./],
    ['a bad --concurrency', {}, ['--concurrency', 'x'], /ASSAY_USAGE --concurrency takes a whole number from 1 to 1024, got "x"\./],
    ['no eval files', { 'evals/greet.eval.ts': '' }, ['nothing-matches'], /ASSAY_NO_EVALS No eval files whose path contains "nothing-matches" match/],
    // `assay lsit`: a mistyped command is a filter, and the fix says so.
    [
      'a filter that matches no eval file',
      {},
      ['lsit'],
      /ASSAY_NO_EVALS No eval files whose path contains "lsit" match \*\*\/\*\.eval\.\{ts,mts,js,mjs\}\.\n {4}Fix: A filter keeps eval files whose path contains it \(`assay list` shows them; -t picks evals by name\)\. Was it meant as a command\? `assay --help` lists them\./,
    ],
  ]

  it.each(cases)('%s', async (_, files, args, expected) => {
    workspace = await createWorkspace({ ...basicWorkspace, ...files })
    const run = await runCli(['run', ...args], { cwd: workspace.root })
    expect(run.stderr).toMatch(expected)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(run.code).toBe(2)
    expect(existsSync(join(workspace.root, 'reports/results.json'))).toBe(false)
  })

  it('exits 2 from bin/assay.js too, with the paragraph on stderr and nothing on stdout', async () => {
    workspace = await createWorkspace(basicWorkspace)
    const run = await spawnCli(['run', '--record', 'sometimes'], { cwd: workspace.root })
    expect(run).toEqual({ code: 2, stdout: '', stderr: '\nassay: this stops the run:\n\n  ASSAY_USAGE --record "sometimes" is not a record mode.\n    Fix: Use one of replay, new, all, off.\n\n' })
  })

  it('reports several mistakes in one run', async () => {
    workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/again.eval.ts': basicWorkspace['evals/greet.eval.ts']!,
      'evals/typo.eval.ts': `import { evaluate } from 'assay'\nevaluate('typo', { template: 'greeter/hello', model: 'm', cases: [{ vars: {} }] })\n`,
    })
    const run = await runCli(['run'], { cwd: workspace.root })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('assay: 2 problems stop the run:')
    expect(run.stderr).toContain('ASSAY_EVAL_DUPLICATE')
    expect(run.stderr).toContain('ASSAY_TEMPLATE_NOT_FOUND')
  })

  it('a planning mistake in a later eval file stops the run before a single request reaches the server', async () => {
    workspace = await createWorkspace({
      ...basicWorkspace,
      // Sorted after evals/greet.eval.ts, which is fine and would run first.
      'evals/second.eval.ts': `import { evaluate } from 'assay'\nevaluate('second', { template: 'greeter/greet', model: 'llama3.2', cases: [{ name: 'nameless', vars: {} }] })\n`,
    })
    server = await startFakeOllama()
    const run = await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ASSAY_TEMPLATE_VARIABLE')
    expect(run.stderr).toContain('eval "second" is missing variable "name"')
    // Not a model call, not a model lookup, not even a connection.
    expect(server.requests).toEqual([])
    expect(server.shown).toEqual([])
    expect(server.connections).toBe(0)
    expect(existsSync(join(workspace.root, 'reports/results.json'))).toBe(false)
  })
})

describe('the bundled example workspace', () => {
  it('runs from committed fixtures in CI with no server, within thresholds, with real failure reasons', async () => {
    const run = await runCli(['run', '--root', repoRoot], { cwd: repoRoot, env: { CI: 'true', OLLAMA_HOST: 'http://127.0.0.1:9' } })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Calls     105 from fixtures, 0 live')
    expect(run.stdout).toContain('Evals     7 passed (7)')
    expect(run.stdout).toContain('Cases     52 passed | 42 failed (94)')
    // One A/B eval with a real, significant difference, and one honestly inconclusive.
    expect(run.stdout).toMatch(/v2 vs v1: better: pass rate \+53\.3 points, 95% CI \[\+31\.4, \+71\.7\], p < 0\.001, n = 30 paired cases, exact McNemar; primary metric/)
    expect(run.stdout).toMatch(/v2 vs v1: inconclusive — about \d+ more cases would give 8\d\.\d% power to detect a 10-point difference \(pass rate -33\.3 points/)
    const results = JSON.parse(readFileSync(join(repoRoot, 'reports/results.json'), 'utf8')) as RunResults
    // Every kind of assertion the examples use fails at least once, so the report shows its reason.
    const used = new Set<string>()
    const failed = new Set<string>()
    for (const evalResult of results.evals) {
      for (const entry of evalResult.cases) {
        for (const sample of entry.samples) {
          if (sample.status === 'error') continue
          for (const outcome of sample.assertions) {
            used.add(outcome.kind)
            if (!outcome.pass && !outcome.advisory) failed.add(outcome.kind)
          }
        }
      }
    }
    expect([...used].sort()).toEqual(['contains', 'custom', 'equals', 'json', 'judge', 'language', 'latency', 'length', 'matches', 'noCJK', 'notContains', 'printable', 'quality', 'schema', 'similar', 'tokens'])
    expect([...failed].sort()).toEqual([...used].sort())
    const samples = results.evals.flatMap((e) => e.cases.flatMap((c) => c.samples))
    expect(samples.filter((s) => s.attempts > 1)).toHaveLength(4)
    expect(results.evals.filter((e) => e.comparisons.length > 0).map((e) => [e.name, e.comparisons.find((c) => c.metric === 'pass rate')!.verdict])).toEqual([
      ['editor: headline v1 vs v2', 'better'],
      ['writer: chapter v1 vs v2', 'inconclusive'],
    ])
    expect(samples.filter((s) => s.cutShort !== undefined).map((s) => s.cutShort)).toEqual(['length <= 500 words: passed 500 words'])
  })
})

describe('baselines and comparisons (the real CLI)', () => {
  it('saves a baseline from the last run, then fails a later run that regressed, naming the flipped cases', async () => {
    const stories = Array.from({ length: 30 }, (_, i) => JSON.stringify({ name: `p${i}`, vars: { name: `P${i}`, city: 'Leeds' } })).join('\n')
    workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': `${stories}\n` })
    let broken = false
    server = await startFakeOllama({ respond: (r) => (broken && /P\d*[0-4] /.test(r.messages.at(-1)!.content) ? 'Sorry.' : `Greet: ${r.messages.at(-1)!.content}`) })
    const env = { OLLAMA_HOST: server.host }
    expect((await runCli(['run', '--record', 'off'], { cwd: workspace.root, env })).code).toBe(0)
    const save = await runCli(['baseline', 'save'], { cwd: workspace.root })
    expect(save).toMatchObject({ code: 0, stdout: expect.stringContaining('saved golden/baselines/greet.json  (30 cases, pass rate 100.0%)') })
    expect(existsSync(join(workspace.root, 'golden/baselines/greet.json'))).toBe(true)

    const same = await runCli(['run', '--record', 'off', '--baseline'], { cwd: workspace.root, env })
    expect(same.code).toBe(0)
    expect(same.stdout).toContain('baseline: not worse (non-inferior within the margin): pass rate +0.0 points vs baseline')

    broken = true
    const worse = await runCli(['run', '--record', 'off', '--no-cache', '--baseline', '--margin', '0.1'], { cwd: workspace.root, env })
    expect(worse.code).toBe(1)
    expect(worse.stdout).toMatch(/baseline: regression: pass rate -50\.0 points vs baseline, .*margin 10\.0 points.*now failing: p0, p1, p2, p3, p4, p10/)
  })

  it('compares two saved results files', async () => {
    workspace = await createWorkspace(basicWorkspace)
    server = await startFakeOllama()
    await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    const compared = await runCli(['compare', 'reports/results.json', 'reports/results.json'], { cwd: workspace.root })
    expect(compared.code).toBe(0)
    // The same file twice: no case differs, but a few cases cannot rule out a 10-point difference.
    expect(compared.stdout).toMatch(/^greet\n  inconclusive — about \d+ more cases would give 8\d\.\d% power to detect a 10-point difference \(pass rate \+0\.0 points/)
    expect(compared.stdout).toContain('1 eval compared (after against before)')
    const missing = await runCli(['compare', 'nope.json', 'reports/results.json'], { cwd: workspace.root })
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('ASSAY_RESULTS_INVALID nope.json: There is no results file here.') })
  })

  it('refuses to save a baseline from a run whose eval had no judged case, or that was interrupted, and writes nothing', async () => {
    workspace = await createWorkspace(basicWorkspace)
    // Replay with no fixtures: every case errors.
    expect((await runCli(['run', '--record', 'replay'], { cwd: workspace.root })).code).toBe(1)
    const save = await runCli(['baseline', 'save'], { cwd: workspace.root })
    expect(save.code).toBe(2)
    expect(save.stderr).toContain('No case of "greet" was judged in the last run: every one errored, so there is nothing to accept. Nothing was saved.')
    expect(existsSync(join(workspace.root, 'golden/baselines'))).toBe(false)

    const path = join(workspace.root, 'reports/results.json')
    const results = JSON.parse(readFileSync(path, 'utf8')) as { interrupted: boolean; evals: { counts: { errored: number; passed: number } }[] }
    results.interrupted = true
    results.evals[0]!.counts = { ...results.evals[0]!.counts, errored: 0, passed: 2 }
    writeFileSync(path, JSON.stringify(results))
    const cut = await runCli(['baseline', 'save'], { cwd: workspace.root })
    expect(cut).toMatchObject({ code: 2, stderr: expect.stringContaining('Fix: Finish it with `assay run --resume`, then save.') })
    expect(existsSync(join(workspace.root, 'golden/baselines'))).toBe(false)
  })

  it('refuses to save a baseline before any run', async () => {
    workspace = await createWorkspace(basicWorkspace)
    const save = await runCli(['baseline', 'save'], { cwd: workspace.root })
    expect(save.code).toBe(2)
    expect(save.stderr).toContain('Fix: Run `assay run` first: it writes reports/results.json.')
  })
})

describe('--reporter and --outputDir (the real CLI)', () => {
  it('write only the chosen reports, where asked, and refuse an unknown reporter', async () => {
    workspace = await createWorkspace(basicWorkspace)
    server = await startFakeOllama()
    const run = await runCli(['run', '--record', 'off', '--reporter', 'dot,junit', '--outputDir', 'out/ci'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^\n RUN 1 eval, 2 cases \(record: off\)\n\n··\n/)
    expect(run.stdout).toContain('Reports   out/ci/junit.xml')
    expect(existsSync(join(workspace.root, 'out/ci/junit.xml'))).toBe(true)
    expect(existsSync(join(workspace.root, 'out/ci/results.json'))).toBe(false)
    expect(existsSync(join(workspace.root, 'reports'))).toBe(false)
    const bad = await runCli(['run', '--reporter', 'fancy'], { cwd: workspace.root })
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('ASSAY_USAGE --reporter "fancy" is not a reporter.') })
  })

  it('adds GitHub annotations inside GitHub Actions', async () => {
    workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'\nevaluate('greet', { template: 'greeter/greet', model: 'llama3.2', cases: 'golden/people.jsonl', assert: [assert.contains('Ada')] })\n`,
    })
    server = await startFakeOllama()
    const run = await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host, GITHUB_ACTIONS: 'true' } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::error file=evals/greet.eval.ts,title=greet > alan::contains "Ada": missing "Ada" (0 of 1 found)\n')
  })
})
