import { assert, evaluate } from 'assay'

evaluate('editor: tighten passage', {
  template: 'editor/edit_chapter',
  model: 'llama3.2',
  options: { temperature: 0.2, seed: 7 },
  cases: 'golden/passages.yaml',
  assert: [
    assert.length({ max: 260 }),
    // The editor must not drop a named character, nor keep the padding it was asked to cut.
    assert.contains(['Elena']),
    assert.notContains(['very', 'slowly and gradually'], { ignoreCase: true }),
    assert.similar({ method: 'rouge-l', min: 0.35 }),
    assert.custom('shorter than the passage', (output, { vars }) => output.length < String(vars.passage).length),
  ],
  threshold: 0.5,
})

// An A/B comparison with enough cases for a verdict: every story runs on both versions, and
// assay reports the paired difference with its interval, p-value and verdict.
evaluate('editor: headline v1 vs v2', {
  model: 'llama3.2',
  options: { temperature: 0.2, seed: 7 },
  cases: 'golden/stories.jsonl',
  variants: {
    v1: { template: 'editor/headline@1' },
    v2: { template: 'editor/headline@2' },
  },
  assert: [assert.length({ max: 70 }), assert.notContains(['!']), assert.length({ max: 10, unit: 'words' })],
  threshold: 0.2,
})
