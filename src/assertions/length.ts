import { AssayError } from '../errors.js'
import type { AssertionHandler, LengthAssertion, LengthUnit } from './types.js'

export interface LengthOptions {
  min?: number
  max?: number
  /** @default 'chars' */
  unit?: LengthUnit
}

export function length(options: LengthOptions): LengthAssertion {
  const { min, max, unit = 'chars' } = options
  if (min === undefined && max === undefined) {
    throw new AssayError('ASSAY_EVAL_INVALID', 'assert.length() needs min, max or both.', {
      fix: 'Write assert.length({ min: 100, max: 2000 }).',
    })
  }
  for (const [name, value] of [['min', min], ['max', max]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new AssayError('ASSAY_EVAL_INVALID', `assert.length() ${name} must be a whole number >= 0, got ${value}.`)
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new AssayError('ASSAY_EVAL_INVALID', `assert.length() has min ${min} above max ${max}.`, {
      fix: 'Swap them, or widen the range.',
    })
  }
  if (unit !== 'chars' && unit !== 'words') {
    throw new AssayError('ASSAY_EVAL_INVALID', `assert.length() unit must be "chars" or "words", got "${String(unit)}".`)
  }
  return { kind: 'length', min, max, unit }
}

/** Characters are code points, so an emoji or a CJK character counts once. */
export function measure(text: string, unit: LengthUnit): number {
  if (unit === 'words') {
    const trimmed = text.trim()
    return trimmed === '' ? 0 : trimmed.split(/\s+/u).length
  }
  let count = 0
  for (const _ of text) count++
  return count
}

export const lengthHandler: AssertionHandler<LengthAssertion> = {
  describe({ min, max, unit }) {
    if (min !== undefined && max !== undefined) return `length ${min}..${max} ${unit}`
    return min !== undefined ? `length >= ${min} ${unit}` : `length <= ${max} ${unit}`
  },
  evaluate({ min, max, unit }, { output }) {
    const size = measure(output, unit)
    if (min !== undefined && size < min) {
      return { pass: false, score: min === 0 ? 0 : size / min, reason: `${size} ${unit}, below the minimum of ${min}` }
    }
    if (max !== undefined && size > max) {
      return { pass: false, score: max / size, reason: `${size} ${unit}, above the maximum of ${max}` }
    }
    return { pass: true, score: 1, reason: `${size} ${unit}, within ${min ?? 0}..${max ?? '∞'}` }
  },
}
