import { common, invalid, listed } from './common.js'
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js'
import type { AssertionHandler, CommonOptions, ExpectedToolCall, ToolCallOrder, ToolCallsAssertion } from './types.js'

export interface ToolCallsOptions extends CommonOptions {
  /** The calls the model should make; `[]` expects none. */
  expect: { name: string; args?: StandardSchemaV1 | Record<string, unknown> }[]
  /** `any`: in any order; `exact`: in this order. @default 'any' */
  order?: ToolCallOrder
  /** Other calls besides the expected ones do not fail it. @default false */
  allowExtra?: boolean
}

/**
 * The model called these tools. `args` is a schema the arguments must pass (zod or any Standard
 * Schema) or an object whose fields must be equal to the arguments' (other fields are free).
 * The score is the share of expected calls matched, or, without `allowExtra`, the F1 over calls.
 */
export function toolCalls(options: ToolCallsOptions): ToolCallsAssertion {
  const name = 'assert.toolCalls()'
  const { order = 'any', allowExtra = false } = options ?? {}
  if (!Array.isArray(options?.expect)) throw invalid(name, 'needs expect, an array of calls', "Write assert.toolCalls({ expect: [{ name: 'search', args: { query: 'weather' } }] }).")
  const expected = options.expect.map((call, index): ExpectedToolCall => {
    if (typeof call?.name !== 'string' || call.name === '') throw invalid(name, `expect[${index}] needs the tool's name`, "Write { name: 'search' }.")
    const args = call.args
    if (args !== undefined && !isStandardSchema(args) && (typeof args !== 'object' || args === null || Array.isArray(args))) {
      throw invalid(name, `expect[${index}].args must be a schema or an object of expected fields`, "Write args: z.object({ query: z.string() }) or args: { query: 'weather' }.")
    }
    return { name: call.name, args }
  })
  if (order !== 'any' && order !== 'exact') throw invalid(name, `order must be "any" or "exact", got "${String(order)}"`)
  if (typeof allowExtra !== 'boolean') throw invalid(name, 'allowExtra must be true or false')
  return { kind: 'toolCalls', expect: expected, order, allowExtra, ...common(options, name) }
}

export const toolCallsHandler: AssertionHandler<ToolCallsAssertion> = {
  describe: ({ expect, order, allowExtra }) =>
    `toolCalls ${expect.length === 0 ? 'none' : listed(expect)}${expect.length > 1 ? (order === 'exact' ? ' (in order)' : ' (any order)') : ''}${allowExtra ? ', others allowed' : ''}`,
  // The matching code loads with the first tool calls a run checks.
  evaluate: async (spec, context) => (await import('./tool-call-match.js')).matchToolCalls(spec, context),
}
