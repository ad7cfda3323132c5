import { readFileSync } from 'node:fs'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

describe('assay doctor', () => {
  it('exits 0 when the server is up, the model pulled and the prompts fit, one line per check', async () => {
    const workspace = await createWorkspace(basicWorkspace)
    const server = await startFakeOllama()
    const doctor = await runCli(['doctor'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(doctor.stdout).toContain(`  ✓ Ollama 0.12.6 at ${server.host}\n`)
    expect(doctor.stdout).toContain('  ✓ model llama3.2 pulled\n')
    expect(doctor.stdout).toMatch(/✓ context: the longest prompt \(eval "greet", case "(ada|alan)"\) is ~\d+ tokens \(estimated at 4 characters a token\), within the 131072 tokens of llama3.2 \(llama.context_length of \/api\/show\)/)
    expect(doctor.stdout).toContain('  - fixtures: 0 of 2 calls recorded; 2 will call the model and be recorded\n')
    expect(doctor.stdout).toContain('All good')
    expect(doctor.code).toBe(0)
    expect(server.requests).toEqual([])
  })

  it('exits 1 naming `ollama pull <model>` when the server lacks the model, and run says the same per case', async () => {
    const workspace = await createWorkspace(basicWorkspace)
    const server = await startFakeOllama({ models: ['qwen2.5'] })
    const doctor = await runCli(['doctor'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(`  ✗ Model "llama3.2" is not available on ${server.host}. Fix: Run \`ollama pull llama3.2\` on that server, or correct the model name\n`)
    expect(doctor.stdout).toContain('1 problem to fix before a run.')

    const run = await runCli(['run'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(1)
    for (const id of ['ada', 'alan']) expect(run.stdout).toContain(`! ${id}\n         ASSAY_PROVIDER_MODEL_NOT_FOUND Model "llama3.2" is not available on ${server.host}:`)
    expect(run.stdout).toContain('Fix: Run `ollama pull llama3.2` on that server, or correct the model name.')
    const results = JSON.parse(readFileSync(join(workspace.root, 'reports/results.json'), 'utf8')) as { evals: { cases: { samples: { error?: { fix?: string } }[] }[] }[] }
    expect(results.evals[0]!.cases.map((entry) => entry.samples[0]!.error?.fix)).toEqual(Array(2).fill('Run `ollama pull llama3.2` on that server, or correct the model name.'))
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /)
  })

  it('checks the embedding model of assert.similar too, on the provider the plan gives it', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', {
  template: 'greeter/greet',
  model: 'llama3.2',
  cases: 'golden/people.jsonl',
  assert: [assert.similar({ to: 'Hello there', method: 'embedding', model: 'nomic-embed-text', min: 0.5 })],
})
`,
    })
    const server = await startFakeOllama({ models: ['llama3.2'] })
    const doctor = await runCli(['doctor'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(doctor.stdout).toContain('  ✓ model llama3.2 pulled\n')
    expect(doctor.stdout).toContain(`  ✗ Model "nomic-embed-text" is not available on ${server.host}. Fix: Run \`ollama pull nomic-embed-text\` on that server`)
    expect(doctor.code).toBe(1)
  })

  it('names a server that does not answer, with the fix', async () => {
    const workspace = await createWorkspace(basicWorkspace)
    const server = await startFakeOllama()
    await server.close()
    const doctor = await runCli(['doctor'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(`  ✗ Ollama at ${server.host} does not answer (ECONNREFUSED). Fix: start it with \`ollama serve\``)
    expect(doctor.stdout).not.toContain('model llama3.2')
  })

  it('in replay mode, names the evals whose fixtures are missing and asks no server', async () => {
    const workspace = await createWorkspace(basicWorkspace)
    const missing = await runCli(['doctor'], { cwd: workspace.root, env: { CI: 'true', OLLAMA_HOST: 'http://127.0.0.1:9' } })
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain('  ✗ eval "greet": 2 of 2 calls have no fixture, and replay fails those cases. Fix: record them against a running model server: npx assay run -t "^greet$" --record new, then commit fixtures/\n')
    const server = await startFakeOllama()
    expect((await runCli(['run'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    const replay = await runCli(['doctor'], { cwd: workspace.root, env: { CI: 'true', OLLAMA_HOST: 'http://127.0.0.1:9' } })
    expect(replay.stdout).toContain('  ✓ fixtures: all 2 calls recorded for replay\n')
    expect(replay.stdout).toContain('  - model servers: not asked, as replay calls no model\n')
    expect(replay.code).toBe(0)
  })

  it('lists template and case mistakes as problems with their fixes, and unused variables as notes', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/templates/greeter/greet_v2.yaml': 'user_prompt_template: "Greet {name}."\nvariables:\n  - name: str\n  - city: str\n',
    })
    const server = await startFakeOllama()
    const doctor = await runCli(['doctor'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain('  ✗ ASSAY_TEMPLATE_INVALID evals/templates/greeter/greet_v2.yaml:1: user_prompt_template has {name}, a single-brace placeholder')
    expect(doctor.stdout).toContain('Fix: Write {{name}}')
  })

  it('flags a prompt longer than the context window the eval sets', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/greet.eval.ts': basicWorkspace['evals/greet.eval.ts']!.replace('options: { temperature: 0 }', 'options: { temperature: 0, num_ctx: 4 }'),
    })
    const server = await startFakeOllama()
    const doctor = await runCli(['doctor'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(/✗ the longest prompt \(eval "greet", case "(ada|alan)"\) is ~\d+ tokens \(estimated at 4 characters a token\), more than the 4 tokens of llama3.2's context window \(options.num_ctx\): the server would cut the prompt. Fix: raise options.num_ctx to 2048 or more, or shorten the prompt\n/)
  })

  it("flags a prompt longer than the model's window that /api/show reports", async () => {
    const workspace = await createWorkspace(basicWorkspace)
    const server = await startFakeOllama({ show: { contextLength: 8 } })
    const doctor = await runCli(['doctor'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(/✗ the longest prompt \(eval "greet", case "alan"\) is ~\d+ tokens \(estimated at 4 characters a token\), more than the 8 tokens of llama3.2's context window \(llama.context_length of \/api\/show\): the server would cut the prompt. Fix: shorten the prompt/)
  })
})
