import { describe, expect, it } from 'vitest'
import { assert } from '../../src/assertions/index.js'
import { JUDGE_SYSTEM, VERDICT_FORMAT } from '../../src/assertions/judge-verdict.js'
import { scoreQuality } from '../../src/assertions/quality-score.js'
import { evaluateAssertion } from '../../src/assertions/registry.js'
import type { AssertionContext, AssertionSpec, JudgeRequest } from '../../src/assertions/types.js'
import { contextFor } from '../helpers/assertion-context.js'

const run = (spec: AssertionSpec, output: string, overrides: Partial<AssertionContext> = {}) => evaluateAssertion(spec, contextFor(output, overrides))

const chapter = `The storm had blown itself out by midnight, but the sea was still talking to the rocks when Mara climbed the last turn of the stair. Her father had taken the mail boat to the mainland that morning. He had banked the lamp himself, wound the clockwork, and told her twice not to touch the brass.

Yet the lamp was lit. It turned above her in slow, patient sweeps, throwing its long white arm across the water and back again. Mara stood in the doorway of the lantern room with her candle guttering and counted the rotations the way he had taught her. The rhythm was right. The wick was trimmed. Someone had polished the lens so recently that she could smell the vinegar.

On the logbook, open on the desk, a line of fresh ink sat below her father's careful hand. The writing was narrow and slanted and belonged to no one she knew. It gave the time, the wind, the state of the sea, and then one more entry, underlined twice: ship sighted, no lights, heading for the Teeth.`

describe('assert.quality (the seed scorer)', () => {
  it('scores a well-made creative answer high, with each sub-score in the reason', async () => {
    const result = await run(assert.quality({ language: 'en' }), chapter)
    expect(result.pass).toBe(true)
    expect(result.reason).toBe(
      '0.99 >= 0.8: length 0.97 (968 chars, expected 1000..3000), language 1 (en, expected en), diversity 1 (65% unique words), coherence 1 (100% distinct trigrams, 100% readable sentences)',
    )
  })

  it('uses the seed length formula: length/min below the range, max/length above it', async () => {
    const short = await scoreQuality('word '.repeat(100).trim(), 'analytical', undefined)
    expect(short.parts[0]).toEqual({ name: 'length', score: 1, detail: '499 chars, expected 200..1000' })
    const tiny = await scoreQuality('word '.repeat(10).trim(), 'analytical', undefined)
    expect(tiny.parts[0]!.score).toBe(49 / 200)
    const long = await scoreQuality('x'.repeat(2000), 'structured', undefined)
    expect(long.parts[0]!.score).toBe(500 / 2000)
  })

  it('marks repetitive text down on diversity and coherence', async () => {
    const repetitive = await scoreQuality('And still the twins did not open it. '.repeat(60), 'creative', undefined)
    const byName = Object.fromEntries(repetitive.parts.map((part) => [part.name, part.score]))
    expect(byName.diversity).toBeLessThan(0.1)
    expect(byName.coherence).toBeLessThan(0.6)
  })

  it('for structured tasks scores whether the answer holds JSON', async () => {
    const good = await scoreQuality('{"characters": [{"name": "Ana"}]}', 'structured', undefined)
    expect(good.parts.map((p) => [p.name, p.score])).toEqual([['length', 33 / 100], ['structure', 1]])
    const bad = await scoreQuality('Ana, Duarte and Sofia.', 'structured', undefined)
    expect(bad.parts[1]).toEqual({ name: 'structure', score: 0, detail: 'no JSON' })
  })

  it('scores an empty answer 0 rather than failing to run', async () => {
    expect((await run(assert.quality({ language: 'en' }), '')).score).toBeLessThan(0.3)
  })
})

/** A judge that answers from a script and keeps the requests it got. */
function scriptedJudge(...answers: string[]) {
  const requests: JudgeRequest[] = []
  return {
    requests,
    judge: async (request: JudgeRequest) => {
      requests.push(structuredClone(request))
      return answers[Math.min(requests.length - 1, answers.length - 1)]!
    },
  }
}

describe('assert.judge', () => {
  it('sends the rubric (vars filled), the reference and the answer, and reads the JSON verdict', async () => {
    const { requests, judge } = scriptedJudge('{"score": 0.8, "reason": "Ends on a hook."}')
    const result = await run(assert.judge({ rubric: 'Follows the outline: {{outline}}' }), 'The answer.', { judge, reference: 'Golden.', vars: { outline: 'a storm' } })
    expect(result).toEqual({ pass: true, score: 0.8, reason: '0.8 >= 0.7: Ends on a hook.' })
    expect(requests).toEqual([
      {
        model: 'llama3.2',
        messages: [
          { role: 'system', content: JUDGE_SYSTEM },
          { role: 'user', content: 'RUBRIC:\nFollows the outline: a storm\n\nREFERENCE ANSWER (for comparison):\nGolden.\n\nANSWER TO GRADE:\nThe answer.' },
        ],
        format: VERDICT_FORMAT,
        options: { temperature: 0, seed: 42 },
      },
    ])
  })

  it('re-asks a judge whose answer is not the JSON asked for, showing it the problem', async () => {
    const { requests, judge } = scriptedJudge('Great answer, 9/10!', '{"score": 9, "reason": "x"}', '```json\n{"score": 0.5, "reason": "Half there."}\n```')
    const result = await run(assert.judge({ rubric: 'R', model: 'qwen3', min: 0.6 }), 'A', { judge })
    expect(result).toEqual({ pass: false, score: 0.5, reason: '0.5 < 0.6: Half there.' })
    expect(requests.map((r) => r.model)).toEqual(['qwen3', 'qwen3', 'qwen3'])
    expect(requests[1]!.messages.slice(2)).toEqual([
      { role: 'assistant', content: 'Great answer, 9/10!' },
      { role: 'user', content: expect.stringMatching(/^That reply is not valid \(no JSON found/) },
    ])
    expect(requests[2]!.messages.at(-1)!.content).toMatch(/^That reply is not valid \(score: Too big: expected number to be <=1\)/)
  })

  it('reports a judge that never answers properly as an error, not a score of 0', async () => {
    const { judge } = scriptedJudge('no')
    await expect(run(assert.judge({ rubric: 'R', retries: 1 }), 'A', { judge })).rejects.toMatchObject({
      code: 'ASSAY_JUDGE_FAILED',
      message: expect.stringContaining('gave no valid verdict in 2 tries'),
    })
  })
})

describe('assert.latency and assert.tokens', () => {
  const calls = [
    { latencyMs: 700, promptTokens: 100, completionTokens: 250 },
    { latencyMs: 500, promptTokens: 120, completionTokens: 80 },
  ]

  it('add up every call of the sample', async () => {
    expect(await run(assert.latency({ maxMs: 1000 }), 'x', { calls })).toEqual({ pass: false, score: 1000 / 1200, reason: '1200ms over 2 calls, over 1000ms' })
    expect(await run(assert.tokens({ max: 400 }), 'x', { calls })).toEqual({ pass: true, score: 1, reason: '330 completion tokens, within 400' })
    expect(await run(assert.tokens({ max: 500, count: 'total' }), 'x', { calls })).toMatchObject({ pass: false, reason: '550 total tokens, over 500' })
  })

  it('fail plainly when there is nothing to measure', async () => {
    expect(await run(assert.tokens({ max: 5 }), 'x', { calls: [{ latencyMs: 1, promptTokens: undefined, completionTokens: undefined }] })).toMatchObject({
      pass: false,
      reason: 'the server did not report completion tokens',
    })
    expect(await run(assert.latency({ maxMs: 5 }), 'x')).toMatchObject({ pass: false, reason: 'no model call was made' })
  })
})

describe('assert.custom', () => {
  it('accepts a boolean, a score or a result, sync or async', async () => {
    expect(await run(assert.custom('short', (o) => o.length < 5), 'abc')).toEqual({ pass: true, score: 1, reason: 'passed' })
    expect(await run(assert.custom('half', async () => 0.4), 'abc')).toEqual({ pass: false, score: 0.4, reason: 'score 0.4 < 0.5' })
    expect(await run(assert.custom('half', () => 0.4, { threshold: 0.3 }), 'abc')).toMatchObject({ pass: true })
    expect(await run(assert.custom('full', () => ({ pass: false, score: 0.2, reason: 'too terse' })), 'abc')).toEqual({ pass: false, score: 0.2, reason: 'too terse' })
  })

  it('sees the case vars and reference', async () => {
    const spec = assert.custom('names the hero', (output, { vars }) => output.includes(String(vars.hero)))
    expect((await run(spec, 'Mara climbs.', { vars: { hero: 'Mara' } })).pass).toBe(true)
  })

  it('turns a throw or a bad return into an error naming the assertion', async () => {
    await expect(run(assert.custom('boom', () => { throw new Error('bad regex') }), 'x')).rejects.toMatchObject({
      code: 'ASSAY_ASSERTION_FAILED',
      message: 'The custom assertion "boom" threw: bad regex',
    })
    await expect(run(assert.custom('big', () => 3), 'x')).rejects.toMatchObject({ message: 'The custom assertion "big" returned the score 3, outside 0..1.' })
    await expect(run(assert.custom('what', () => 'yes' as never), 'x')).rejects.toMatchObject({ message: 'The custom assertion "what" returned "yes".' })
  })
})

describe('options every assertion takes', () => {
  it('threshold turns the score into the verdict', async () => {
    expect(await run(assert.contains(['a', 'b', 'z'], { threshold: 0.6 }), 'ab')).toMatchObject({ pass: true, score: 2 / 3 })
    expect(await run(assert.length({ max: 10, threshold: 0.9 }), 'x'.repeat(12))).toMatchObject({ pass: false })
  })

  it('refuses a negative weight or a threshold outside 0..1', () => {
    expect(() => assert.noCJK({ weight: -1 })).toThrowError(/weight must be a number >= 0/)
    expect(() => assert.json({ threshold: 2 })).toThrowError(/threshold must be a number from 0 to 1/)
  })

  it('keeps weight and advisory on the spec', () => {
    expect(assert.matches(/x/, { weight: 3, advisory: true })).toMatchObject({ weight: 3, advisory: true, threshold: undefined })
  })
})
