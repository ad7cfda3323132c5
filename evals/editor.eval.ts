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
