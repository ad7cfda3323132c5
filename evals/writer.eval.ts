import { assert, evaluate } from 'assay'

// The latest active version of the chapter prompt (v2). Its template's validation block adds
// length 600..4000 chars and the case's language; these are the eval's own checks on top.
evaluate('writer: chapter', {
  template: 'writer/write_chapter',
  model: 'llama3.2',
  options: { temperature: 0.7, seed: 7 },
  cases: 'golden/chapters.jsonl',
  // Stop a generation that already broke a limit, and re-ask once with the reasons.
  stream: 'abort-on-fail',
  retryOnFail: 1,
  assert: [
    assert.matches(/^Chapter \d+: /),
    assert.length({ max: 500, unit: 'words' }),
    assert.noCJK(),
    assert.judge({ rubric: 'The chapter follows this outline: {{outline}} It ends on a hook that makes the reader want the next chapter.', min: 0.6 }),
    assert.quality({ task: 'creative', min: 0.7, advisory: true }),
  ],
  threshold: 0.5,
})

// Version 1, pinned, kept running so a regression against it shows up next to the new one.
evaluate('writer: chapter v1', {
  template: 'writer/write_chapter@1',
  model: 'llama3.2',
  options: { temperature: 0.7, seed: 7 },
  cases: 'golden/chapters.jsonl',
  assert: [assert.noCJK(), assert.printable({ minRatio: 0.99 }), assert.quality({ task: 'creative', language: '{{language}}', min: 0.85 })],
  threshold: 0.5,
})

// The same comparison for the chapter prompt, on the six golden chapters: too few cases for a
// verdict, and assay says so instead of naming a winner.
evaluate('writer: chapter v1 vs v2', {
  model: 'llama3.2',
  options: { temperature: 0.7, seed: 7 },
  cases: 'golden/chapters.jsonl',
  variants: {
    v1: { template: 'writer/write_chapter@1' },
    v2: { template: 'writer/write_chapter@2' },
  },
  assert: [assert.noCJK(), assert.quality({ task: 'creative', min: 0.8 })],
  threshold: 0.3,
})
