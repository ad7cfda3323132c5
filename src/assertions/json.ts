import { common, invalid } from './common.js'
import { extractJson } from './json-extract.js'
import { formatPath, isStandardSchema, type StandardSchemaV1 } from './standard-schema.js'
import type { AssertionHandler, CommonOptions, JsonAssertion, JsonMode, SchemaAssertion } from './types.js'

export interface JsonOptions extends CommonOptions {
  /** `strict`: the whole answer must be JSON; `lenient`: also inside fences or prose. @default 'lenient' */
  mode?: JsonMode
}

function mode(options: JsonOptions, name: string): JsonMode {
  const value = options.mode ?? 'lenient'
  if (value !== 'strict' && value !== 'lenient') throw invalid(name, `mode must be "strict" or "lenient", got "${String(value)}"`)
  return value
}

/** The answer holds JSON (after `<think>` removal). */
export function json(options: JsonOptions = {}): JsonAssertion {
  return { kind: 'json', mode: mode(options, 'assert.json()'), ...common(options, 'assert.json()') }
}

/** The answer holds JSON that a zod (or any Standard Schema) schema accepts. */
export function schema(validator: StandardSchemaV1, options: JsonOptions = {}): SchemaAssertion {
  if (!isStandardSchema(validator)) {
    throw invalid('assert.schema()', 'expects a zod schema or another Standard Schema validator', "Write assert.schema(z.object({ ... })) with zod's z.")
  }
  return { kind: 'schema', schema: validator, mode: mode(options, 'assert.schema()'), ...common(options, 'assert.schema()') }
}

export const jsonHandler: AssertionHandler<JsonAssertion> = {
  cheap: true,
  describe: ({ mode: m }) => `json (${m})`,
  evaluate({ mode: m }, { output }) {
    const extracted = extractJson(output, m)
    if (!extracted.found) return { pass: false, score: 0, reason: extracted.reason }
    return { pass: true, score: 1, reason: `valid JSON (${extracted.strategy})` }
  },
}

export const schemaHandler: AssertionHandler<SchemaAssertion> = {
  cheap: true,
  describe: ({ mode: m }) => `schema (${m} JSON)`,
  async evaluate({ schema: validator, mode: m }, { output }) {
    const extracted = extractJson(output, m)
    if (!extracted.found) return { pass: false, score: 0, reason: extracted.reason }
    const result = await validator['~standard'].validate(extracted.value)
    if (!result.issues) return { pass: true, score: 1, reason: `matches the schema (${extracted.strategy})` }
    const shown = result.issues.slice(0, 5).map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`)
    const more = result.issues.length > shown.length ? `; and ${result.issues.length - shown.length} more` : ''
    return { pass: false, score: 0.5, reason: `JSON does not match the schema: ${shown.join('; ')}${more}` }
  },
}
