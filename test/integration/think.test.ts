import { readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { fixtureKey } from '../../src/recording/key.js'
import type { RunResults } from '../../src/results/types.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

const evalFile = `import { assert, evaluate } from 'assay'
evaluate('greet', {
  template: 'greeter/greet',
  model: 'llama3.2',
  think: true,
  cases: 'golden/people.jsonl',
  assert: [assert.notContains(['ponder'])],
  variants: { thinking: {}, quick: { think: false } },
})
`

describe('thinking models (the real CLI)', () => {
  it('send think per eval and variant, keep the thinking text in results and fixtures, and judge only the answer', async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'evals/greet.eval.ts': evalFile })
    const server = await startFakeOllama({ thinking: (request) => (request.think === true ? 'Let me ponder how to greet them.' : undefined) })
    const run = await runCli(['run', '--record', 'new'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(0)
    expect(server.requests.map((request) => request.think).sort()).toEqual([false, false, true, true])

    const read = async () => JSON.parse(await readFile(join(workspace.root, 'reports/results.json'), 'utf8')) as RunResults
    const samples = (await read()).evals[0]!.cases.map((entry) => [entry.variant, entry.samples[0]!.thinking, entry.status])
    expect(samples).toEqual([
      ['thinking', 'Let me ponder how to greet them.', 'pass'],
      ['quick', undefined, 'pass'],
      ['thinking', 'Let me ponder how to greet them.', 'pass'],
      ['quick', undefined, 'pass'],
    ])
    // Replayed from fixtures, the thinking is still there.
    const replay = await runCli(['run'], { cwd: workspace.root, env: { CI: '1' } })
    expect(replay.stdout + replay.stderr).toContain('Evals     1 passed')
    expect(replay.code).toBe(0)
    expect((await read()).evals[0]!.cases[0]!.samples[0]!.thinking).toBe('Let me ponder how to greet them.')
  })

  it('key think only when it is set, so other fixtures keep their keys', () => {
    const request = { model: 'llama3.2', messages: [{ role: 'user' as const, content: 'hi' }] }
    expect(fixtureKey({ ...request, think: undefined }, 0)).toBe(fixtureKey(request, 0))
    expect(fixtureKey({ ...request, think: true }, 0)).not.toBe(fixtureKey(request, 0))
    expect(fixtureKey({ ...request, think: 'high' }, 0)).not.toBe(fixtureKey({ ...request, think: true }, 0))
  })
})
