import { describe, expect, it } from 'vitest'
import type { AssertionOutcome } from '../../src/results/types.js'
import { sharedOutcome, sharedOutcomes, sharedRepeats, sharedText } from '../../src/runner/shared-values.js'

const outcome = (overrides: Partial<AssertionOutcome> = {}): AssertionOutcome => ({
  kind: 'contains',
  name: 'contains "Summary"',
  sharedName: undefined,
  pass: true,
  score: 1,
  reason: 'found "Summary"',
  weight: 1,
  advisory: false,
  ...overrides,
})

describe('shared result values', () => {
  it('gives one frozen object for outcomes equal field by field, and keeps apart any that differ in one field', () => {
    const first = sharedOutcome(outcome())
    expect(sharedOutcome(outcome())).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(() => {
      ;(first as { pass: boolean }).pass = false
    }).toThrow(TypeError)
    for (const change of [{ kind: 'matches' }, { name: 'other' }, { sharedName: 'contains "{{x}}"' }, { pass: false }, { score: 0.5 }, { weight: 2 }, { advisory: true }] as Partial<AssertionOutcome>[]) {
      const other = sharedOutcome(outcome(change))
      expect(other).not.toBe(first)
      expect(other).toEqual(outcome(change))
    }
  })

  it('shares a list of outcomes only when every outcome in it is shared', () => {
    const a = sharedOutcome(outcome({ reason: 'list a' }))
    const b = sharedOutcome(outcome({ reason: 'list b' }))
    const list = sharedOutcomes([a, b])
    expect(sharedOutcomes([a, b])).toBe(list)
    expect(Object.isFrozen(list)).toBe(true)
    expect(sharedOutcomes([b, a])).not.toBe(list)
    const loose = [a, outcome({ reason: 'never shared' })]
    expect(sharedOutcomes(loose)).toBe(loose)
    expect(Object.isFrozen(loose)).toBe(false)
  })

  it('keeps at most 32 outcomes with one reason, and gives later ones back as they are', () => {
    const made = Array.from({ length: 40 }, (_, i) => sharedOutcome(outcome({ name: `label ${i}`, reason: 'one reason for many labels' })))
    expect(made.slice(0, 32).every((entry) => Object.isFrozen(entry))).toBe(true)
    expect(made.slice(32).some((entry) => Object.isFrozen(entry))).toBe(false)
    expect(sharedOutcome(outcome({ name: 'label 3', reason: 'one reason for many labels' }))).toBe(made[3])
  })

  it('gives one copy of equal texts and of small repeat counts', () => {
    const text = sharedText(['mod', 'el-a'].join(''))
    expect(sharedText(['mo', 'del-a'].join(''))).toBe(text)
    expect(sharedRepeats(1, 1)).toBe(sharedRepeats(1, 1))
    expect(sharedRepeats(2, 3)).toEqual({ passed: 2, total: 3 })
    expect(sharedRepeats(2, 3)).not.toBe(sharedRepeats(3, 3))
    expect(sharedRepeats(70, 100)).toEqual({ passed: 70, total: 100 })
  })
})
