import type { Comparison } from '../results/types.js'
import { compareVariants } from './index.js'
import type { ComparableCase } from './metrics.js'

/**
 * Two runs of the same eval, paired by case within each variant: every metric, `after` against
 * `before`. Labels name the two sides in the comparisons (`baseline` / `current`, or file names).
 */
export function compareRuns(before: ComparableCase[], after: ComparableCase[], labels: [before: string, after: string]): Comparison[] {
  const variants = [...new Set(after.map((entry) => entry.variant))]
  return variants.flatMap((variant) => {
    const side = (label: string) => (variant === undefined ? label : `${variant} (${label})`)
    const [first, second] = [side(labels[0]), side(labels[1])]
    const ids = new Set(before.filter((entry) => entry.variant === variant).map((entry) => entry.id))
    const paired = after.filter((entry) => entry.variant === variant && ids.has(entry.id))
    const pairedIds = new Set(paired.map((entry) => entry.id))
    const cases = [
      ...before.filter((entry) => entry.variant === variant && pairedIds.has(entry.id)).map((entry) => ({ ...entry, variant: first })),
      ...paired.map((entry) => ({ ...entry, variant: second })),
    ]
    return cases.length === 0 ? [] : compareVariants(cases, [first, second], first)
  })
}
