import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import type { RunResults } from '../../src/results/types.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const people = ['ada', 'bob', 'cy', 'dan', 'eve', 'fay']

/** An eval with two variants; `fail` names answer "no" (failing), `error` names get a 400. */
async function setup({ fail = [] as string[], error = [] as string[] } = {}) {
  const workspace = await createWorkspace({
    ...basicWorkspace,
    'assay.config.ts': 'export default { ollama: { retries: 0 }, cache: { enabled: false } }\n',
    'golden/people.jsonl': people.map((name) => JSON.stringify({ name, vars: { name, city: 'Leeds' } })).join('\n'),
    'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', {
  model: 'llama3.2',
  cases: 'golden/people.jsonl',
  variants: { v1: { template: 'greeter/greet@1' }, v2: { template: 'greeter/greet@2' } },
  assert: [assert.contains('Greet')],
  threshold: 0,
})
`,
  })
  const server = await startFakeOllama({
    respond: (request) => {
      const user = request.messages.at(-1)!.content
      if (error.some((name) => user.startsWith(`Greet ${name}`))) return { status: 400, error: 'bad request' }
      return fail.some((name) => user.startsWith(`Greet ${name}`)) ? 'no' : `echo: ${user}`
    },
  })
  const env = { OLLAMA_HOST: server.host }
  const run = (...args: string[]) => runCli(['run', '--record', 'off', ...args], { cwd: workspace.root, env })
  const results = async (file = 'reports/results.json') => JSON.parse(await readFile(join(workspace.root, file), 'utf8')) as RunResults
  return { workspace, server, run, results }
}

const statuses = (results: RunResults) => results.evals[0]!.cases.map((entry) => `${entry.id}/${entry.variant}:${entry.status}`)

describe('--failed, --retry-errors and --resume with --until-significant', () => {
  for (const flag of ['--failed', '--retry-errors']) {
    it(`${flag} --until-significant with nothing left to rerun finishes from the kept cases`, async () => {
      const { server, run, results } = await setup()
      expect((await run()).code).toBe(0)
      const before = await results()
      const calls = server.requests.length
      const again = await run(flag, '--until-significant')
      expect(again.code).toBe(0)
      expect(server.requests.length).toBe(calls)
      expect(statuses(await results())).toEqual(statuses(before))
      expect(again.stdout).toContain(' Calls     0 from fixtures, 0 live (and 12 kept from the last run)')
    })
  }

  it('--resume --until-significant with nothing left to resume finishes from the kept cases', async () => {
    const { workspace, server, run, results } = await setup()
    expect((await run()).code).toBe(0)
    // As an interrupted run that had finished every case would have left it.
    const file = join(workspace.root, 'reports/results.json')
    await writeFile(file, (await readFile(file, 'utf8')).replace('"interrupted": false', '"interrupted": true'))
    const calls = server.requests.length
    const again = await run('--resume', '--until-significant')
    expect(again.code).toBe(0)
    expect(server.requests.length).toBe(calls)
    expect((await results()).evals[0]!.cases).toHaveLength(12)
  })

  it('--failed --until-significant reruns only what failed, in batches, and keeps the rest', async () => {
    const { server, run, results } = await setup({ fail: ['bob', 'eve'] })
    await run()
    const calls = server.requests.length
    const again = await run('--failed', '--until-significant', '--batch', '1')
    expect(again.code).toBe(0)
    expect(server.requests.length - calls).toBe(4)
    expect(statuses(await results()).filter((entry) => entry.endsWith(':fail'))).toEqual(['bob/v1:fail', 'bob/v2:fail', 'eve/v1:fail', 'eve/v2:fail'])
    expect(again.stdout).toContain(' Calls     0 from fixtures, 4 live (and 8 kept from the last run)')
  })
})

describe('--failed, --retry-errors and --resume with --shard', () => {
  it('--failed --shard reruns and keeps only its own share of the cases', async () => {
    const { server, run, results } = await setup({ fail: ['ada', 'bob'] })
    await run()
    const calls = server.requests.length
    expect((await run('--failed', '--shard', '1/2')).code).toBe(0)
    // Shard 1 of 2 holds cases 1, 3 and 5 (ada, cy, eve): only ada failed there.
    expect(server.requests.length - calls).toBe(2)
    expect(statuses(await results('reports/blob-1-of-2.json'))).toEqual(['ada/v1:fail', 'ada/v2:fail', 'cy/v1:pass', 'cy/v2:pass', 'eve/v1:pass', 'eve/v2:pass'])
  })

  it('--retry-errors --shard reruns only its own errors', async () => {
    const { server, run, results } = await setup({ error: ['bob', 'cy'] })
    await run()
    const calls = server.requests.length
    await run('--retry-errors', '--shard', '2/2')
    expect(server.requests.length - calls).toBe(2)
    expect(statuses(await results('reports/blob-2-of-2.json'))).toEqual(['bob/v1:error', 'bob/v2:error', 'dan/v1:pass', 'dan/v2:pass', 'fay/v1:pass', 'fay/v2:pass'])
  })

  it('--resume --shard runs the never-finished cases of its share only', async () => {
    const { workspace, server, run, results } = await setup()
    await run()
    const file = join(workspace.root, 'reports/results.json')
    const full = JSON.parse(await readFile(file, 'utf8')) as RunResults
    // As if interrupted after the first four cases: the rest never ran.
    await writeFile(file, JSON.stringify({ ...full, interrupted: true, evals: [{ ...full.evals[0]!, cases: full.evals[0]!.cases.slice(0, 8) }] }))
    const calls = server.requests.length
    expect((await run('--resume', '--shard', '1/2')).code).toBe(0)
    // Shard 1 holds ada, cy, eve; eve never ran.
    expect(server.requests.length - calls).toBe(2)
    expect(statuses(await results('reports/blob-1-of-2.json'))).toEqual(['ada/v1:pass', 'ada/v2:pass', 'cy/v1:pass', 'cy/v2:pass', 'eve/v1:pass', 'eve/v2:pass'])
  })
})
