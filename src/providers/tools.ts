import { z } from 'zod'
import { AssayError } from '../errors.js'

/** A function the model may call, in the shape Ollama's and the OpenAI protocol's `tools` take. */
export interface ToolDefinition {
  type: 'function'
  function: { name: string; description?: string; parameters: Record<string, unknown> }
}

export type { ToolCall } from '../results/types.js'

/** A tool as an eval declares it: its parameters a JSON schema or a zod 4 schema. */
export type ToolInput =
  | { name: string; description?: string; parameters?: Record<string, unknown> | z.ZodType }
  | { type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown> | z.ZodType } }

/** The most tools one request may carry: more is a mistake, not a prompt. */
const MAX_TOOLS = 128
const NAME = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Tools as the request carries them: zod schemas converted with `z.toJSONSchema` (its `$schema`
 * line dropped: servers want the bare object schema), names checked as the OpenAI protocol
 * requires, no name twice. `where` names the field in errors (`eval "x" tools`).
 */
export function toolDefinitions(tools: readonly ToolInput[], where: string, file?: string): ToolDefinition[] {
  const wrong = (problem: string, fix: string) => new AssayError('ASSAY_EVAL_INVALID', `${where}: ${problem}.`, { ...(file === undefined ? {} : { file }), fix })
  if (!Array.isArray(tools)) throw wrong('must be an array of tools', "Write tools: [{ name: 'search', parameters: z.object({ query: z.string() }) }].")
  if (tools.length > MAX_TOOLS) throw wrong(`has ${tools.length} tools, more than ${MAX_TOOLS}`, 'Give the model only the tools the prompt needs.')
  const seen = new Set<string>()
  return tools.map((tool, index) => {
    const declared = (tool as { type?: unknown }).type === 'function' ? (tool as { function: Record<string, unknown> }).function : (tool as Record<string, unknown>)
    const name = declared?.name
    if (typeof name !== 'string' || !NAME.test(name)) throw wrong(`tools[${index}] needs a name of 1 to 64 letters, digits, _ or -, got ${JSON.stringify(name) ?? 'none'}`, "Name the tool: { name: 'search', ... }.")
    if (seen.has(name)) throw wrong(`two tools are named "${name}"`, 'Give each tool its own name.')
    seen.add(name)
    const description = declared.description
    if (description !== undefined && typeof description !== 'string') throw wrong(`tools[${index}] (${name}): description must be a string`, 'Describe the tool in one sentence, or leave description out.')
    return { type: 'function', function: { name, ...(description === undefined ? {} : { description }), parameters: parametersOf(declared.parameters, `tools[${index}] (${name})`, wrong) } }
  })
}

function parametersOf(parameters: unknown, label: string, wrong: (problem: string, fix: string) => AssayError): Record<string, unknown> {
  if (parameters === undefined) return { type: 'object', properties: {} }
  // A Standard Schema (standardschema.dev): zod 4 converts to JSON schema; others cannot be.
  const standard = (parameters as { '~standard'?: { vendor?: unknown } } | null)?.['~standard']
  if (typeof standard === 'object' && standard !== null) {
    if (!('_zod' in (parameters as object))) throw wrong(`${label}: parameters is a ${String(standard.vendor)} schema that is not zod 4, which assay cannot turn into JSON schema`, 'Use a zod 4 schema, or write the JSON schema itself.')
    let schema: Record<string, unknown>
    try {
      schema = z.toJSONSchema(parameters as z.ZodType) as Record<string, unknown>
    } catch (error) {
      throw wrong(`${label}: parameters cannot be written as JSON schema (${(error as Error).message})`, 'Use types JSON schema can express (no transforms, dates or functions), or write the JSON schema itself.')
    }
    const { $schema: _, ...bare } = schema
    return bare
  }
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw wrong(`${label}: parameters must be a JSON schema object or a zod schema`, "Write parameters: { type: 'object', properties: { query: { type: 'string' } } }.")
  return parameters as Record<string, unknown>
}
