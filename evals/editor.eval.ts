import { assert, evaluate } from 'assay'

evaluate('editor: tighten passage', {
  template: 'editor/edit_chapter',
  model: 'llama3.2',
  options: { temperature: 0.2, seed: 7 },
  cases: 'golden/passages.yaml',
  assert: [
    assert.length({ max: 260 }),
    // The editor must not drop a named character.
    assert.contains(['Elena'], { ignoreCase: false }),
  ],
  threshold: 0.6,
})
