import { describe, expect, it } from 'vitest'
import { assert } from '../../src/assertions/index.js'
import { describeAssertion } from '../../src/assertions/registry.js'
import { metricsFor } from '../../src/compare/metrics.js'
import { resolveConfig } from '../../src/config/load.js'
import { runEvals } from '../../src/runner/run.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { createWorkspace } from '../helpers/workspace.js'

const files = {
  'evals/templates/t/note_v1.yaml': `user_prompt_template: "Write a note in {{language}} about {{topic}}"
variables: { language: str, topic: str }
validation: { expected_language: "{{language}}" }
`,
  'evals/templates/t/note_v2.yaml': `user_prompt_template: "Write a short note in {{language}} about {{topic}}"
variables: { language: str, topic: str }
validation: { expected_language: "{{language}}" }
`,
  'evals/note.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('note', {
  model: 'llama3.2',
  cases: [
    { name: 'fr', vars: { language: 'French', topic: 'the sea' } },
    { name: 'de', vars: { language: 'German', topic: 'the sea' } },
  ],
  variants: { v1: { template: 't/note@1' }, v2: { template: 't/note@2' } },
  assert: [assert.judge({ rubric: 'Is it about {{topic}}?', min: 0.5, model: 'llama3.2' })],
  threshold: 0,
})
`,
}

// Always French: the German cases fail their language check. The judge's calls ask for a JSON format.
const FRENCH = "La mer est calme ce matin, et les bateaux rentrent au port avant que le vent ne se lève sur la côte."

describe('assertion labels', () => {
  it('show the case values, while comparisons group scores by the label every case shares', async () => {
    const workspace = await createWorkspace(files)
    const server = await startFakeOllama({
      respond: (request) => (request.format === undefined ? FRENCH : '{"score": 1, "reason": "on topic"}'),
    })
    const config = await resolveConfig(workspace.root, { flags: { record: 'off' }, env: { OLLAMA_HOST: server.host } })
    const results = await runEvals({ config })
    const outcomes = results.evals[0]!.cases.map((entry) => [entry.id, entry.samples[0]!.status === 'error' ? [] : entry.samples[0]!.assertions.map(({ name, sharedName }) => ({ name, sharedName }))])
    expect(outcomes).toContainEqual([
      'fr',
      [
        { name: 'language French', sharedName: 'language {{language}}' },
        { name: 'judge >= 0.5: Is it about the sea?', sharedName: 'judge >= 0.5: Is it about {{topic}}?' },
      ],
    ])
    expect(outcomes).toContainEqual(['de', [expect.objectContaining({ name: 'language German' }), expect.objectContaining({ sharedName: 'judge >= 0.5: Is it about {{topic}}?' })]])
    // One score metric per assertion, not one per language.
    expect(metricsFor(results.evals[0]!.cases).map((metric) => metric.name)).toEqual([
      'pass rate',
      'score: language {{language}}',
      'score: judge >= 0.5: Is it about {{topic}}?',
      'latency ms',
      'completion tokens',
    ])
  })

  it('show the case values in the console failure reasons', async () => {
    const workspace = await createWorkspace(files)
    const server = await startFakeOllama({ respond: (request) => (request.format === undefined ? FRENCH : '{"score": 1, "reason": "on topic"}') })
    const run = await runCli(['run', '--record', 'off', '--reporter', 'default'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.stdout).toContain('language German:')
    expect(run.stdout).not.toContain('{{language}}')
  })

  it('never cut a placeholder in two when a long judge rubric is shortened', () => {
    // 50 characters at most, cut at 47: here inside {{topic}}, which starts at 41.
    const spec = assert.judge({ rubric: 'The answer stays in the first person, on {{topic}}, from start to end.' })
    expect(describeAssertion(spec)).toBe('judge >= 0.7: The answer stays in the first person, on {{topic}}...')
    expect(describeAssertion(spec, { topic: 'the sea' })).toBe('judge >= 0.7: The answer stays in the first person, on the sea...')
    expect(describeAssertion(assert.judge({ rubric: 'x'.repeat(60) }))).toBe(`judge >= 0.7: ${'x'.repeat(47)}...`)
  })
})
