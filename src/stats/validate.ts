/**
 * Input checks for the exported statistics: a NaN or an infinity in a verdict's input is a bug
 * upstream (a scorer returning NaN, a division by zero), and answering it with p = 1 or p = 0
 * would hide it. These throw RangeError, as a pure module should; callers that take user data
 * turn it into an AssayError.
 */

export function finiteValues(name: string, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${name}[${i}] is ${String(values[i])}; every value must be a finite number.`)
  }
}

export function finiteNumber(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} is ${String(value)}; it must be a finite number.`)
}

/** Not NaN; an infinity is allowed where the function has a limit there (tails, quantiles). */
export function notNaN(name: string, value: number): void {
  if (Number.isNaN(value)) throw new RangeError(`${name} is NaN.`)
}

export function count(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} is ${String(value)}; it must be a whole number, 0 or more.`)
}

export function probability(name: string, value: number, { open = false } = {}): void {
  const inside = open ? value > 0 && value < 1 : value >= 0 && value <= 1
  if (!inside) throw new RangeError(`${name} is ${String(value)}; it must lie in ${open ? '(0, 1)' : '[0, 1]'}.`)
}

export function positive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} is ${String(value)}; it must be a finite number above 0.`)
}
