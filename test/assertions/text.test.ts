import { describe, expect, it } from 'vitest'
import { assert } from '../../src/assertions/index.js'
import { evaluateAssertion, hopeless } from '../../src/assertions/registry.js'
import { levenshteinRatio, rougeL } from '../../src/assertions/similarity.js'
import type { AssertionSpec } from '../../src/assertions/types.js'
import { contextFor } from '../helpers/assertion-context.js'

const run = (spec: AssertionSpec, output: string, reference?: string, vars: Record<string, unknown> = {}) =>
  evaluateAssertion(spec, contextFor(output, { reference, vars }))

describe('assert.notContains', () => {
  it('fails on any value present and names it', async () => {
    expect(await run(assert.notContains(['very', 'suddenly']), 'It was very dark.')).toEqual({ pass: false, score: 0.5, reason: 'contains "very"' })
    expect(await run(assert.notContains('VERY', { ignoreCase: true }), 'very')).toMatchObject({ pass: false })
    expect(await run(assert.notContains('very'), 'It was dark.')).toEqual({ pass: true, score: 1, reason: 'contains none of the 1 value' })
  })

  it('stops a stream once a forbidden value appears', () => {
    expect(hopeless(assert.notContains('As an AI'), 'As an AI model, I')).toBe('contains "As an AI"')
  })
})

describe('assert.equals', () => {
  it('ignores surrounding and repeated white space by default, and says where texts differ', async () => {
    expect(await run(assert.equals('Hello  world'), '  Hello world\n')).toEqual({ pass: true, score: 1, reason: 'equal' })
    expect(await run(assert.equals('Hello world', { ignoreWhitespace: false }), 'Hello  world')).toMatchObject({ pass: false, reason: 'differs at character 7: got " world", expected "world"' })
    expect((await run(assert.equals('HELLO', { ignoreCase: true }), 'hello')).pass).toBe(true)
  })

  it('compares with the case reference when given no text', async () => {
    expect((await run(assert.equals(), 'Paris', 'Paris')).pass).toBe(true)
    expect(await run(assert.equals(), 'Paris')).toEqual({ pass: false, score: 0, reason: 'the case has no reference to compare with' })
  })
})

describe('similarity', () => {
  it('levenshteinRatio: 1 for equal texts, 1 - distance / longer length otherwise', () => {
    expect(levenshteinRatio('kitten', 'kitten')).toBe(1)
    expect(levenshteinRatio('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 10)
    expect(levenshteinRatio('', '')).toBe(1)
  })

  it('rougeL: F1 of the longest common word subsequence', () => {
    // Lin (2004): candidate "police killed the gunman", reference "police kill the gunman": LCS 3 of 4 and 4.
    expect(rougeL('police killed the gunman', 'police kill the gunman')).toBeCloseTo(0.75, 10)
    expect(rougeL('the gunman kill police', 'police kill the gunman')).toBeCloseTo(0.5, 10)
    expect(rougeL('', 'x')).toBe(0)
    expect(rougeL('', '')).toBe(1)
  })

  it('assert.similar compares with the reference by default, or a given text', async () => {
    expect(await run(assert.similar({ min: 0.7 }), 'police killed the gunman', 'police kill the gunman')).toEqual({
      pass: true,
      score: 0.75,
      reason: 'rouge-l similarity 0.75 >= 0.7',
    })
    expect(await run(assert.similar({ to: 'sitting', method: 'levenshtein', min: 0.9 }), 'kitten')).toMatchObject({ pass: false, score: 0.571 })
    expect(await run(assert.similar(), 'x')).toMatchObject({ pass: false, reason: 'the case has no reference to compare with' })
  })

  it('handles two 3,000-character answers', async () => {
    const a = 'The lamp was lit and the sea was loud. '.repeat(80)
    const b = 'The lamp was dark and the sea was quiet. '.repeat(75)
    const result = await run(assert.similar({ to: b, method: 'levenshtein' }), a)
    expect(result.score).toBeGreaterThan(0.5)
    expect(result.score).toBeLessThan(1)
  })
})
