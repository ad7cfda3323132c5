import { describe, expect, it } from 'vitest'
import { assert } from '../../src/assertions/index.js'
import { describeAssertion, evaluateAssertion } from '../../src/assertions/registry.js'
import type { AssertionSpec } from '../../src/assertions/types.js'
import { measure } from '../../src/assertions/length.js'
import { contextFor } from '../helpers/assertion-context.js'

const run = (spec: AssertionSpec, output: string) => evaluateAssertion(spec, contextFor(output))

const chapter = `Chapter 1: The Keeper's Lamp

The storm had blown itself out by midnight, but the sea was still talking to the rocks when Mara climbed the last turn of the stair.`

describe('assert.length', () => {
  it('passes inside the range with score 1 and says the size', async () => {
    expect(await run(assert.length({ min: 10, max: 500 }), chapter)).toEqual({ pass: true, score: 1, reason: '162 chars, within 10..500' })
  })

  it('scores a short answer by how far it got, and a long one by how far it overshot', async () => {
    expect(await run(assert.length({ min: 324 }), chapter)).toEqual({ pass: false, score: 0.5, reason: '162 chars, below the minimum of 324' })
    expect(await run(assert.length({ max: 81 }), chapter)).toEqual({ pass: false, score: 0.5, reason: '162 chars, above the maximum of 81' })
  })

  it('counts words', async () => {
    expect(await run(assert.length({ min: 32, unit: 'words' }), chapter)).toMatchObject({ pass: false, reason: '31 words, below the minimum of 32' })
  })

  it('fails an empty output against a minimum with score 0', async () => {
    expect(await run(assert.length({ min: 1 }), '')).toEqual({ pass: false, score: 0, reason: '0 chars, below the minimum of 1' })
    expect(measure('   \n ', 'words')).toBe(0)
  })

  it('counts an emoji or a CJK character once', () => {
    expect(measure('龍🐉', 'chars')).toBe(2)
  })

  it('handles a very long output', async () => {
    const long = 'word '.repeat(200_000)
    expect(await run(assert.length({ max: 100_000, unit: 'words' }), long)).toMatchObject({ pass: false, score: 0.5 })
  })

  it('refuses a range that cannot be met, at declaration', () => {
    expect(() => assert.length({})).toThrowError(/needs min, max or both/)
    expect(() => assert.length({ min: 5, max: 2 })).toThrowError(/min 5 above max 2/)
    expect(() => assert.length({ min: -1 })).toThrowError(/whole number >= 0/)
  })

  it('describes itself for reports', () => {
    expect(describeAssertion(assert.length({ min: 1000, max: 5000 }))).toBe('length 1000..5000 chars')
    expect(describeAssertion(assert.length({ max: 50, unit: 'words' }))).toBe('length <= 50 words')
  })
})

describe('assert.contains', () => {
  it('needs every value and scores the share found', async () => {
    expect(await run(assert.contains(['Mara', 'storm', 'dragon', 'castle']), chapter)).toEqual({
      pass: false,
      score: 0.5,
      reason: 'missing "dragon", "castle" (2 of 4 found)',
    })
    expect(await run(assert.contains('Mara'), chapter)).toEqual({ pass: true, score: 1, reason: 'contains all 1 value' })
  })

  it('ignores case when asked', async () => {
    expect((await run(assert.contains('MARA'), chapter)).pass).toBe(false)
    expect((await run(assert.contains('MARA', { ignoreCase: true }), chapter)).pass).toBe(true)
  })

  it('refuses an empty value, which every output would contain', () => {
    expect(() => assert.contains('')).toThrowError(/non-empty strings/)
    expect(() => assert.contains([])).toThrowError(/non-empty strings/)
  })
})

describe('assert.matches', () => {
  it('passes on a match and shows where it matched', async () => {
    expect(await run(assert.matches(/^Chapter \d+: /), chapter)).toEqual({ pass: true, score: 1, reason: 'matches at offset 0: "Chapter 1: "' })
  })

  it('fails with score 0 when nothing matches', async () => {
    expect(await run(assert.matches(/dragon/i), chapter)).toEqual({ pass: false, score: 0, reason: 'no match' })
  })

  it('drops the global flag, so repeated use does not skip matches through lastIndex', async () => {
    const spec = assert.matches(/Mara/g)
    expect((await run(spec, chapter)).pass).toBe(true)
    expect((await run(spec, chapter)).pass).toBe(true)
  })

  it('accepts a string pattern and refuses an invalid one', async () => {
    expect((await run(assert.matches('Keeper.s'), chapter)).pass).toBe(true)
    expect(() => assert.matches('(')).toThrowError(/invalid pattern/)
  })
})
