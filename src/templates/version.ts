/** A version written as numbers and dots: `2`, `1.10`. */
export function parseVersion(text: string): number[] | undefined {
  if (!/^\d+(\.\d+)*$/.test(text)) return undefined
  const parts = text.split('.').map(Number)
  while (parts.length > 1 && parts.at(-1) === 0) parts.pop()
  return parts
}

/** Numeric, part by part: 10 > 9, 1.10 > 1.9, 2 = 2.0. */
export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}
