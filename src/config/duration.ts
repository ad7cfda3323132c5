const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `90m`, `1d`, `4w`, `30s`, or a number of milliseconds; undefined when it is neither. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/i.exec(value)
  if (!match) return undefined
  return Number(match[1]) * UNITS[match[2]!.toLowerCase()]!
}
