import type { Fixture } from './schema.js'

/**
 * True when `data` (parsed JSON) is a fixture exactly as assay writes it: it matches fixtureSchema,
 * and every object holds only the schema's keys, in the schema's order. Then the schema's parse
 * would return a copy equal to it, key order included, so a replay can take it as it is: 2,000
 * fixtures in a fresh process take 4.6 ms here, against 17 ms for the compiled schema (5 of them
 * compiling it), which also copies every object (median of 5 runs each).
 * Anything else (a hand-edited file, an unknown key, a wrong type) is false, and goes through the
 * schema itself, which decides and words the error. So this check may only be stricter than
 * fixtureSchema, never looser; test/recording/exact.test.ts holds it to that.
 */
export function isExactFixture(data: unknown): data is Fixture {
  if (!isObject(data) || !inOrder(data, FIXTURE_KEYS)) return false
  return (
    data.schema === 1 &&
    typeof data.key === 'string' &&
    KEY.test(data.key) &&
    typeof data.eval === 'string' &&
    typeof data.case === 'string' &&
    Number.isSafeInteger(data.sample) &&
    (data.sample as number) >= 0 &&
    optionalString(data.cutoff) &&
    typeof data.recordedAt === 'string' &&
    isRequest(data.request) &&
    isResponse(data.response)
  )
}

const FIXTURE_KEYS = ['schema', 'key', 'eval', 'case', 'sample', 'cutoff', 'recordedAt', 'request', 'response']
const REQUEST_KEYS = ['provider', 'model', 'messages', 'format', 'options', 'think', 'tools']
const MESSAGE_KEYS = ['role', 'content']
const TOOL_KEYS = ['type', 'function']
const FUNCTION_KEYS = ['name', 'description', 'parameters']
const RESPONSE_KEYS = ['content', 'thinking', 'model', 'doneReason', 'usage', 'timing', 'cutShort', 'toolCalls']
const USAGE_KEYS = ['promptTokens', 'completionTokens']
const TIMING_KEYS = ['latencyMs', 'firstTokenMs', 'totalMs', 'loadMs', 'promptEvalMs', 'evalMs']
const TOOL_CALL_KEYS = ['name', 'arguments', 'invalidArguments']
const KEY = /^[0-9a-f]{64}$/

function isRequest(value: unknown): boolean {
  if (!isObject(value) || !inOrder(value, REQUEST_KEYS)) return false
  if (!optionalString(value.provider) || typeof value.model !== 'string' || !Array.isArray(value.messages)) return false
  for (const message of value.messages as unknown[]) {
    if (!isObject(message) || !inOrder(message, MESSAGE_KEYS) || typeof message.content !== 'string') return false
    if (message.role !== 'system' && message.role !== 'user' && message.role !== 'assistant') return false
  }
  if (value.format !== undefined && value.format !== 'json' && !isRecord(value.format)) return false
  if (value.options !== undefined && !isRecord(value.options)) return false
  const think = value.think
  if (think !== undefined && typeof think !== 'boolean' && think !== 'low' && think !== 'medium' && think !== 'high') return false
  if (value.tools === undefined) return true
  if (!Array.isArray(value.tools)) return false
  for (const tool of value.tools as unknown[]) {
    if (!isObject(tool) || !inOrder(tool, TOOL_KEYS) || tool.type !== 'function') return false
    const fn = tool.function
    if (!isObject(fn) || !inOrder(fn, FUNCTION_KEYS) || typeof fn.name !== 'string' || !optionalString(fn.description) || !isRecord(fn.parameters)) return false
  }
  return true
}

function isResponse(value: unknown): boolean {
  if (!isObject(value) || !inOrder(value, RESPONSE_KEYS)) return false
  if (typeof value.content !== 'string' || !optionalString(value.thinking) || typeof value.model !== 'string') return false
  if (!optionalString(value.doneReason) || !optionalString(value.cutShort)) return false
  const { usage, timing } = value
  if (!isObject(usage) || !inOrder(usage, USAGE_KEYS) || !optionalNumber(usage.promptTokens) || !optionalNumber(usage.completionTokens)) return false
  if (!isObject(timing) || !inOrder(timing, TIMING_KEYS) || !isNumber(timing.latencyMs)) return false
  if (!optionalNumber(timing.firstTokenMs) || !optionalNumber(timing.totalMs) || !optionalNumber(timing.loadMs) || !optionalNumber(timing.promptEvalMs) || !optionalNumber(timing.evalMs)) return false
  if (value.toolCalls === undefined) return true
  if (!Array.isArray(value.toolCalls)) return false
  for (const call of value.toolCalls as unknown[]) {
    if (!isObject(call) || !inOrder(call, TOOL_CALL_KEYS) || typeof call.name !== 'string' || !isRecord(call.arguments) || !optionalString(call.invalidArguments)) return false
  }
  return true
}

/**
 * Every key of `value` is one of `keys`, in that order. for...in lists the keys JSON.parse made in
 * the file's order (integer-like ones first, none of which a schema key is).
 */
function inOrder(value: Record<string, unknown>, keys: readonly string[]): boolean {
  let at = 0
  for (const key in value) {
    while (at < keys.length && keys[at] !== key) at++
    if (at === keys.length) return false
    at++
  }
  return true
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A z.record(z.string(), z.unknown()) the schema would copy as it is: a JSON object. A "__proto__"
 * key (JSON.parse keeps it as an own key; a copy made by assignment would not) is left to the schema.
 */
function isRecord(value: unknown): boolean {
  return isObject(value) && !Object.prototype.hasOwnProperty.call(value, '__proto__')
}

function isNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value)
}

function optionalNumber(value: unknown): boolean {
  return value === undefined || isNumber(value)
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string'
}
