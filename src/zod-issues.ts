import type { z } from 'zod'

const FEW = 16
const parses = new WeakMap<z.ZodType, number>()

/**
 * Parse options for values a run checks a few of (its config, eval specs, template files): on an
 * object schema's first parse zod generates and compiles a fast path for it (a `new Function`),
 * which pays back only over many parses. Measured here, the config's first parse took 4.5 ms with
 * it and 1.7 ms without, an eval's spec 2.0 and 1.1 ms, and each later spec ~12 µs more without
 * it; so a schema's first FEW parses skip it. The checks and the issues are the same either way.
 */
export function fewParses(schema: z.ZodType): { jitless: boolean } {
  const count = (parses.get(schema) ?? 0) + 1
  parses.set(schema, count)
  return { jitless: count <= FEW }
}

/** `cases[2].vars: expected object, received string`: one line per issue, paths as users write them. */
export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = formatPath([...(prefix ? [prefix] : []), ...issue.path])
      return path ? `${path}: ${issueMessage(issue)}` : issueMessage(issue)
    })
    .join('; ')
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
  }
  return issue.message
}

function formatPath(path: PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out ? `.${String(part)}` : String(part)
  }
  return out
}
