import type { CaseResult } from '../results/types.js'

/**
 * Case results in plan order, whatever order they finished or were merged in: by the case's
 * position in its eval's full case list, then by declared variant. A rerun puts kept and new
 * results together this way, and merge-reports the shards' results.
 */
export function inPlanOrder(cases: CaseResult[], casePosition: ReadonlyMap<string, number>, variants: readonly (string | undefined)[]): CaseResult[] {
  const variantPosition = new Map(variants.map((name, i) => [name, i]))
  return cases.sort((a, b) => (casePosition.get(a.id) ?? 0) - (casePosition.get(b.id) ?? 0) || (variantPosition.get(a.variant) ?? 0) - (variantPosition.get(b.variant) ?? 0))
}
