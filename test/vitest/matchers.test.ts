import { describe, expect, it } from 'vitest'
import '../../src/vitest/index.js'
import { assert } from '../../src/index.js'
import { AssayError } from '../../src/errors.js'
import { createMatchers, type MatcherScope } from '../../src/vitest/matchers.js'

const FRENCH = 'Le phare se dresse au bord de la falaise, et chaque soir la gardienne allume sa lampe.'
const ENGLISH = 'The lighthouse stands at the edge of the cliff, and every evening the keeper lights the lamp.'

describe('the assay matchers registered on this vitest', () => {
  it('pass an answer that passes the assertion and fail one that does not, with its reason', async () => {
    await expect(FRENCH).toPassAssertion(assert.language('fr'))
    await expect(ENGLISH).not.toPassAssertion(assert.language('fr'))
    await expect(expect(ENGLISH).toPassAssertion(assert.language('fr'))).rejects.toThrow('expected the answer to pass language fr: English (en), not French (fr)')
    await expect(expect(FRENCH).not.toPassAssertion(assert.language('fr'))).rejects.toThrow(/^expected the answer not to pass language fr, but it did: /)
  })

  it('compare the score with a minimum, whatever the assertion itself would decide', async () => {
    // Levenshtein 0.909: the assertion's own minimum (0.99) would fail it, the matcher's (0.8) passes it.
    await expect('Hello there').toScoreAtLeast(assert.similar({ to: 'Hello where', min: 0.99, method: 'levenshtein' }), 0.8)
    await expect(expect('Hello there').toScoreAtLeast(assert.similar({ to: 'Goodbye', min: 0.1 }), 0.8)).rejects.toThrow(
      'expected similar (rouge-l) >= 0.1 to the given text to score at least 0.8, got 0: rouge-l similarity 0 < 0.1',
    )
  })

  it('use the context: a reference, vars for a per-case language', async () => {
    await expect('Hello there').toPassAssertion(assert.similar({ min: 0.9 }), { reference: 'Hello there' })
    await expect(FRENCH).toPassAssertion(assert.language('{{lang}}'), { vars: { lang: 'fr' } })
  })

  it('refuse what is not an assertion, an answer that is not text, and a minimum outside 0..1, naming the fix', async () => {
    // @ts-expect-error: not an assertion
    await expect(expect(FRENCH).toPassAssertion('fr')).rejects.toThrow(/ASSAY_USAGE toPassAssertion\(\) takes an assertion built with assert\.\*, got a string \(fr\)\.\n {2}Fix: /)
    await expect(expect(42).toPassAssertion(assert.language('fr'))).rejects.toThrow('expect() got a number (42)')
    await expect(expect(FRENCH).toScoreAtLeast(assert.quality(), 80)).rejects.toThrow('a minimum score from 0 to 1, got a number (80)')
  })
})

describe('createMatchers', () => {
  const scope: MatcherScope = { isNot: false, testPath: '/project/test/answers.test.ts', currentTestName: 'judged' }

  it('sends a judge call to the client of the test file and test that made it', async () => {
    const seen: string[] = []
    const matchers = createMatchers((testPath, testName) => ({
      judge: async (request) => {
        seen.push(`${testPath} | ${testName} | ${request.model}`)
        return '{"score": 0.4, "reason": "Too vague."}'
      },
      embed: () => Promise.reject(new Error('not reached')),
    }))
    const outcome = await matchers.toScoreAtLeast.call(scope, 'An answer', assert.judge({ rubric: 'Be precise.' }), 0.5, { model: 'judge-model' })
    expect(outcome.pass).toBe(false)
    expect(outcome.message()).toBe('expected judge >= 0.7: Be precise. to score at least 0.5, got 0.4: 0.4 < 0.7: Too vague.')
    expect(seen).toEqual(['/project/test/answers.test.ts | judged | judge-model'])
  })

  it('embeds the answer and the reference in one call, and judges tool calls given with the answer', async () => {
    const seen: string[][] = []
    const matchers = createMatchers(() => ({
      judge: () => Promise.reject(new Error('not reached')),
      embed: async (request) => {
        seen.push(request.input)
        return [[1, 0], [0.6, 0.8]]
      },
    }))
    const similar = await matchers.toPassAssertion.call(scope, 'A cat', assert.similar({ method: 'embedding', model: 'embedder', min: 0.5 }), { reference: 'A feline' })
    expect(similar.pass).toBe(true)
    expect(similar.message()).toContain('cosine similarity 0.6 >= 0.5 (embeddings of embedder)')
    expect(seen).toEqual([['A cat', 'A feline']])
    const answer = { content: '', toolCalls: [{ name: 'search', arguments: { query: 'rain' } }] }
    expect((await matchers.toPassAssertion.call(scope, answer, assert.toolCalls({ expect: [{ name: 'search', args: { query: 'rain' } }] }))).pass).toBe(true)
  })

  it('shows the error of a model call, which can carry the words of the server, inert', async () => {
    const matchers = createMatchers(() => ({
      judge: () => Promise.reject(new AssayError('ASSAY_PROVIDER_FAILED', 'The server answered 500: \x1b[2J\x1b]8;;https://x.test\x07gone')),
      embed: () => Promise.reject(new Error('not reached')),
    }))
    const thrown = await matchers.toPassAssertion.call(scope, 'An answer', assert.judge({ rubric: 'Be precise.', model: 'm' })).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(thrown).toBeInstanceOf(Error)
    expect((thrown as Error).message).toBe('ASSAY_PROVIDER_FAILED The server answered 500: \\u001b[2J\\u001b]8;;https://x.test\\u0007gone')
  })

  it('says so when a model call has no test file to record next to', async () => {
    const matchers = createMatchers(() => ({ judge: () => Promise.reject(new Error('not reached')), embed: () => Promise.reject(new Error('not reached')) }))
    await expect(matchers.toPassAssertion.call({ isNot: false }, 'An answer', assert.judge({ rubric: 'Be precise.', model: 'm' }))).rejects.toThrow('no test file to record it next to')
  })
})
