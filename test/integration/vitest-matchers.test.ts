import { execFile } from 'node:child_process'
import { readFile, readdir, rm } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { evaluateAssertion } from '../../src/assertions/registry.js'
import { assert } from '../../src/index.js'
import { contextFor } from '../helpers/assertion-context.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { installPackedAssay } from '../helpers/packed.js'
import { createWorkspace } from '../helpers/workspace.js'

const FRENCH = 'Le phare se dresse au bord de la falaise, et chaque soir la gardienne allume sa lampe.'
const ENGLISH = 'The lighthouse stands at the edge of the cliff, and every evening the keeper lights the lamp.'

const testFile = `import { expect, test } from 'vitest'
import { assert } from 'assay'
import 'assay/vitest'

test('a French answer passes', async () => {
  await expect(${JSON.stringify(FRENCH)}).toPassAssertion(assert.language('fr'))
})

test('an English answer fails', async () => {
  await expect(${JSON.stringify(ENGLISH)}).toPassAssertion(assert.language('fr'))
})

test('a judge scores the answer', async () => {
  await expect('The sky is blue today.').toScoreAtLeast(assert.judge({ rubric: 'Names a colour.', model: 'llama3.2' }), 0.7)
})

test('a paraphrase means the same', async () => {
  await expect('A feline is napping on the sofa.').toPassAssertion(assert.similar({ method: 'embedding', model: 'nomic-embed-text', min: 0.8 }), { reference: 'The cat sleeps on the couch.' })
})
`

// Type-checked, not run: the matchers exist on expect() only because 'assay/vitest' is imported.
const typedFile = `import { expect } from 'vitest'
import { assert } from 'assay'
import 'assay/vitest'

export async function typed(answer: string): Promise<void> {
  await expect(answer).toPassAssertion(assert.language('fr'), { reference: 'Bonjour', vars: {}, model: 'llama3.2' })
  await expect(answer).not.toScoreAtLeast(assert.quality({ task: 'creative' }), 0.8)
  // @ts-expect-error: a matcher takes an assertion built with assert.*
  await expect(answer).toPassAssertion('fr')
  // @ts-expect-error: toScoreAtLeast needs its minimum
  await expect(answer).toScoreAtLeast(assert.quality())
}
`

interface VitestJson {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[]
}

function run(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  // A clean environment: none of this vitest's own variables reach the one under test.
  const clean = { PATH: process.env.PATH!, HOME: process.env.HOME!, NO_COLOR: '1', ...env }
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env: clean, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

async function vitest(cwd: string, env: Record<string, string>): Promise<Map<string, { status: string; message: string }>> {
  await rm(join(cwd, 'out.json'), { force: true })
  const result = await run(cwd, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json', '--outputFile=out.json'], env)
  const report = JSON.parse(await readFile(join(cwd, 'out.json'), 'utf8').catch(() => `{"error": ${JSON.stringify(result.stderr)}}`)) as VitestJson
  expect(report.testResults, result.stderr).toHaveLength(1)
  return new Map(report.testResults[0]!.assertionResults.map((test) => [test.title, { status: test.status, message: test.failureMessages.join('\n') }]))
}

describe('assay/vitest in a project that installed the packed assay', () => {
  it('passes and fails expectations with the assertion reason, records judge and embedding calls next to the test file, replays them under CI, and is typed', async () => {
    const project = await createWorkspace({ 'test/answers.test.ts': testFile, 'test/typed.ts': typedFile })
    await project.write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', noEmit: true, skipLibCheck: true, types: [] }, include: ['test'] }))
    await installPackedAssay(project.root, ['vitest', 'typescript'])
    const server = await startFakeOllama({ models: ['llama3.2', 'nomic-embed-text'], respond: () => '{"score": 0.9, "reason": "It names blue."}' })

    const live = await vitest(project.root, { OLLAMA_HOST: server.host })
    const reason = (await evaluateAssertion(assert.language('fr'), contextFor(ENGLISH))).reason
    expect(reason).toMatch(/not French/)
    expect(live.get('a French answer passes')).toEqual({ status: 'passed', message: '' })
    expect(live.get('an English answer fails')!.status).toBe('failed')
    expect(live.get('an English answer fails')!.message).toContain(`expected the answer to pass language fr: ${reason}`)
    expect(live.get('a judge scores the answer')).toEqual({ status: 'passed', message: '' })
    expect(live.get('a paraphrase means the same')).toEqual({ status: 'passed', message: '' })
    expect(server.requests.map((r) => r.endpoint).sort()).toEqual(['chat', 'embed'])
    expect(server.requests.find((r) => r.endpoint === 'chat')!.messages.at(-1)!.content).toContain('The sky is blue today.')
    const recorded = await readdir(join(project.root, 'test/__assay__/answers-test-ts'))
    expect(recorded).toHaveLength(2)

    // CI replays: no server, the judge's verdict comes from the fixture.
    await server.close()
    const replayed = await vitest(project.root, { CI: '1', OLLAMA_HOST: server.host })
    expect(replayed.get('a judge scores the answer')).toEqual({ status: 'passed', message: '' })
    expect(replayed.get('a paraphrase means the same')).toEqual({ status: 'passed', message: '' })
    expect(replayed.get('an English answer fails')!.message).toContain(reason)

    await rm(join(project.root, 'test/__assay__'), { recursive: true })
    const missing = await vitest(project.root, { CI: '1', OLLAMA_HOST: server.host })
    expect(missing.get('a judge scores the answer')!.status).toBe('failed')
    expect(missing.get('a judge scores the answer')!.message).toContain('ASSAY_FIXTURE_MISSING')
    expect(missing.get('a judge scores the answer')!.message).toContain('test/__assay__/answers-test-ts/')
    expect(missing.get('a judge scores the answer')!.message).toContain('CI unset')

    const typecheck = await run(project.root, ['node_modules/typescript/bin/tsc', '-p', '.'], {})
    expect(typecheck.stdout + typecheck.stderr).toBe('')
    expect(typecheck.code).toBe(0)
  }, 120_000)
})
