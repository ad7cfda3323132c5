import { AssayError } from '../errors.js'
import type { Common, CommonOptions } from './types.js'

/** Checks and fills the options every assertion takes; `name` is the factory, for messages. */
export function common(options: CommonOptions | undefined, name: string): Common {
  const { weight = 1, threshold, advisory = false } = options ?? {}
  if (!(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0)) {
    throw invalid(name, `weight must be a number >= 0, got ${String(weight)}`)
  }
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold >= 0 && threshold <= 1)) {
    throw invalid(name, `threshold must be a number from 0 to 1, got ${String(threshold)}`)
  }
  return { weight, threshold, advisory: advisory === true }
}

export function invalid(name: string, problem: string, fix?: string): AssayError {
  return new AssayError('ASSAY_EVAL_INVALID', `${name}: ${problem}.`, fix ? { fix } : {})
}

/** A whole number >= 0, or undefined. */
export function checkCount(name: string, field: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw invalid(name, `${field} must be a whole number >= 0, got ${String(value)}`)
}

/** A score in 0..1. */
export function checkShare(name: string, field: string, value: number): void {
  if (!(typeof value === 'number' && value >= 0 && value <= 1)) throw invalid(name, `${field} must be a number from 0 to 1, got ${String(value)}`)
}

/** Fills `{{name}}` from the case's vars: a language or a text given per case. */
export function fillVars(text: string, vars: Readonly<Record<string, unknown>>): string {
  return text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => (vars[name] === undefined ? whole : String(vars[name])))
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** Tool calls by name, for labels and reasons: `search, fetch`, or `none`. */
export const listed = (calls: readonly { name: string }[]) => (calls.length === 0 ? 'none' : calls.map((call) => call.name).join(', '))
