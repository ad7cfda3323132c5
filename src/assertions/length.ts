import { checkCount, common, invalid } from './common.js'
import type { AssertionHandler, CommonOptions, LengthAssertion, LengthUnit } from './types.js'

export interface LengthOptions extends CommonOptions {
  min?: number
  max?: number
  /** @default 'chars' */
  unit?: LengthUnit
}

export function length(options: LengthOptions): LengthAssertion {
  const { min, max, unit = 'chars' } = options
  const name = 'assert.length()'
  if (min === undefined && max === undefined) throw invalid(name, 'needs min, max or both', 'Write assert.length({ min: 100, max: 2000 }).')
  checkCount(name, 'min', min)
  checkCount(name, 'max', max)
  if (min !== undefined && max !== undefined && min > max) throw invalid(name, `has min ${min} above max ${max}`, 'Swap them, or widen the range.')
  if (unit !== 'chars' && unit !== 'words') throw invalid(name, `unit must be "chars" or "words", got "${String(unit)}"`)
  return { kind: 'length', min, max, unit, ...common(options, name) }
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
  cheap: true,
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
  hopeless({ max, unit }, partial) {
    // A word may still be growing at the end of a partial answer, so count only finished words.
    const size = unit === 'words' ? measure(partial.replace(/\S+$/u, ''), unit) : measure(partial, unit)
    return max !== undefined && size > max ? `passed ${max} ${unit}` : undefined
  },
}
