import { describe, expect, it } from 'vitest'
import { assert } from '../../src/assertions/index.js'
import { evaluateAssertion, hopeless } from '../../src/assertions/registry.js'
import type { AssertionSpec } from '../../src/assertions/types.js'
import { contextFor } from '../helpers/assertion-context.js'

const run = (spec: AssertionSpec, output: string, vars: Record<string, unknown> = {}) => evaluateAssertion(spec, contextFor(output, { vars }))

const english = 'The storm had blown itself out by midnight, but the sea was still talking to the rocks when Mara climbed the last turn of the stair.'
const french = "La tempête s'était calmée vers minuit, mais la mer parlait encore aux rochers quand Mara monta la dernière marche de l'escalier."
const german = 'Der Sturm hatte sich bis Mitternacht gelegt, aber das Meer sprach noch mit den Felsen, als Mara die letzte Stufe der Treppe erklomm.'

describe('assert.language', () => {
  it('passes text in the expected language, by code or by name', async () => {
    expect(await run(assert.language('en'), english)).toEqual({ pass: true, score: 1, reason: 'English, as expected' })
    expect((await run(assert.language('French'), french)).pass).toBe(true)
    expect((await run(assert.language('de'), german)).pass).toBe(true)
  })

  it('names the language it found instead', async () => {
    expect(await run(assert.language('en'), french)).toEqual({ pass: false, score: 0, reason: 'French (fr), not English (en)' })
  })

  it('takes the language from the case with {{var}}', async () => {
    expect((await run(assert.language('{{language}}'), french, { language: 'French' })).pass).toBe(true)
    expect((await run(assert.language('{{language}}'), french, { language: 'English' })).pass).toBe(false)
    expect(await run(assert.language('{{language}}'), french, { language: 'Klingon' })).toMatchObject({ pass: false, reason: 'unknown expected language "Klingon"' })
  })

  it('says "undetermined" for text too short to tell, never a false pass', async () => {
    expect(await run(assert.language('en'), 'OK, done.')).toEqual({ pass: false, score: 0, reason: 'undetermined: 6 letters is too little text to tell the language reliably' })
    expect(await run(assert.language('en'), '')).toMatchObject({ pass: false, reason: expect.stringMatching(/^undetermined/) })
  })

  it('judges the answer, not the <think> block before it', async () => {
    expect((await run(assert.language('fr'), `<think>${english} ${english}</think>\n${french}`)).pass).toBe(true)
  })

  it('refuses an unknown language at declaration', () => {
    expect(() => assert.language('xx')).toThrowError(/does not know the language "xx"/)
  })

  it('gives up on a streamed answer once it is mostly in another script', () => {
    const spec = assert.language('en')
    expect(hopeless(spec, 'Hana reached the platform as the doors closed.')).toBeUndefined()
    expect(hopeless(spec, '彼女はベンチに座り、時計を見上げた。時計の針は逆に回っていた。駅員は何も言わずにお茶を持ってきた。夜は長く、静かだった。そして朝が来た。')).toBe(
      'wrong script: mostly Kana, expected Latin for English',
    )
  })
})

describe('assert.noCJK', () => {
  it('passes Latin text, mixed scripts elsewhere, and fails on the first CJK character with where it is', async () => {
    expect(await run(assert.noCJK(), `${english} Привет, мир. Γειά σου.`)).toEqual({ pass: true, score: 1, reason: 'no CJK characters' })
    const mixed = await run(assert.noCJK(), 'Hana sat down. 彼女は座った。')
    expect(mixed).toMatchObject({ pass: false, reason: '6 CJK characters, the first at character 16: "彼女は座った。"' })
    // 11 Latin letters and 6 CJK ones.
    expect(mixed.score).toBeCloseTo(1 - 6 / 17, 3)
  })

  it('counts Hangul and Katakana too', async () => {
    expect((await run(assert.noCJK(), 'Hello 안녕하세요')).pass).toBe(false)
    expect((await run(assert.noCJK(), 'Hello カタカナ')).pass).toBe(false)
  })

  it('stops a stream at the first CJK character', () => {
    expect(hopeless(assert.noCJK(), 'All fine so far')).toBeUndefined()
    expect(hopeless(assert.noCJK(), 'All fine so 彼')).toBe('CJK character "彼"')
  })
})

describe('assert.printable', () => {
  it('measures the share of printable characters; newlines and tabs count as printable', async () => {
    expect(await run(assert.printable(), 'line one\n\tline two')).toEqual({ pass: true, score: 1, reason: '100% printable (0 of 18 characters are not)' })
    const garbled = await run(assert.printable({ minRatio: 0.9 }), 'ab\u0000\u0007cd\uFFFDef')
    expect(garbled).toMatchObject({ pass: false, reason: '66.7% printable (3 of 9 characters are not), below 90%' })
  })

  it('fails an empty answer', async () => {
    expect(await run(assert.printable(), '')).toEqual({ pass: false, score: 0, reason: 'empty output' })
  })
})
