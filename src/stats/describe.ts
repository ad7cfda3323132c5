import * as ss from 'simple-statistics'

/** Mean of a non-empty list; 0 for an empty one (callers check n first). */
export function mean(values: number[]): number {
  return values.length === 0 ? 0 : ss.mean(values)
}

/** Sample variance (n - 1); 0 for fewer than two values. */
export function sampleVariance(values: number[]): number {
  return values.length < 2 ? 0 : ss.sampleVariance(values)
}

/** Ranks 1..n, ties sharing their average rank (as scipy's rankdata). */
export function ranks(values: number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value)
  const result = new Array<number>(values.length)
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++
    const average = (start + end) / 2 + 1
    for (let i = start; i <= end; i++) result[order[i]!.index] = average
    start = end + 1
  }
  return result
}

/** Sizes of the groups of equal values that have more than one member. */
export function tieGroups(values: number[]): number[] {
  const counts = new Map<number, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  return [...counts.values()].filter((count) => count > 1)
}

/** The p-th quantile, R-7 (numpy's default): p95 of latencies and the like. */
export function quantile(values: number[], p: number): number {
  return values.length === 0 ? 0 : ss.quantile(values, p)
}
