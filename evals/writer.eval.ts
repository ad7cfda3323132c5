import { assert, evaluate } from 'assay'

// The latest active version of the chapter prompt, on the golden chapter inputs.
evaluate('writer: chapter', {
  template: 'writer/write_chapter',
  model: 'llama3.2',
  options: { temperature: 0.7, seed: 7 },
  cases: 'golden/chapters.jsonl',
  assert: [
    assert.length({ min: 600, max: 4000 }),
    assert.matches(/^Chapter \d+: /),
    assert.length({ min: 100, max: 500, unit: 'words' }),
  ],
  threshold: 0.75,
})

// Version 1, pinned, kept running so a regression against it shows up next to the new one.
evaluate('writer: chapter v1', {
  template: 'writer/write_chapter@1',
  model: 'llama3.2',
  options: { temperature: 0.7, seed: 7 },
  cases: 'golden/chapters.jsonl',
  assert: [assert.length({ min: 600, max: 4000 })],
  threshold: 0.5,
})
