/** What a configured secret is replaced with wherever assay writes or prints. */
export const REDACTED = '[REDACTED]'

/** A pattern matching the text itself, every occurrence: for a secret known by value (an API key). */
export function literalPattern(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')
}

/**
 * The configured secrets (`redact.patterns`), replaced by [REDACTED] in everything that leaves the
 * process. Assertions, judges and fixture keys see the real text; only output passes through here.
 */
export class Redactor {
  static readonly none = new Redactor([])

  /** Each pattern global, so every occurrence goes. */
  constructor(readonly patterns: readonly RegExp[]) {}

  get active(): boolean {
    return this.patterns.length > 0
  }

  text(value: string): string {
    let out = value
    for (const pattern of this.patterns) out = out.replace(pattern, REDACTED)
    return out
  }

  /**
   * Every string in a JSON-like value (object keys too), in a copy; numbers, booleans and the
   * value's shape are kept. Used on whole records (fixtures, results, baselines) before they are
   * serialised, so a field added later is covered without anyone remembering to.
   */
  value<T>(value: T): T {
    return this.active ? (this.walk(value) as T) : value
  }

  /**
   * As value(), but every part with nothing to redact is the original, not a copy (the whole value
   * when nothing matched). For values that are only read afterwards, such as the results the
   * reporters get: a run keeps every result to its end, and a copy of each doubled its memory.
   */
  view<T>(value: T): T {
    return this.active ? (this.share(value) as T) : value
  }

  private share(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value)
    if (value === null || typeof value !== 'object') return value
    if (Array.isArray(value)) {
      let out: unknown[] | undefined
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) continue
        const item = this.share(value[i])
        if (item !== value[i]) (out ??= value.slice())[i] = item
      }
      return out ?? value
    }
    if (value instanceof RegExp) {
      const source = this.text(value.source)
      return source === value.source ? value : new RegExp(source, value.flags)
    }
    let changed = false
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const [safeKey, safe] = [this.text(key), this.share(item)]
      if (safeKey !== key || safe !== item) changed = true
      out[safeKey] = safe
    }
    return changed ? out : value
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value)
    if (value === null || typeof value !== 'object') return value
    if (Array.isArray(value)) return value.map((item) => this.walk(item))
    if (value instanceof RegExp) return new RegExp(this.text(value.source), value.flags)
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[this.text(key)] = this.walk(item)
    return out
  }
}
