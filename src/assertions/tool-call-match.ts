import { isDeepStrictEqual } from 'node:util'
import type { ToolCall } from '../results/types.js'
import { listed, round } from './common.js'
import { formatPath, isStandardSchema } from './standard-schema.js'
import type { AssertionContext, AssertionResult, ExpectedToolCall, ToolCallsAssertion } from './types.js'

// Imported by tool-calls.ts on the first check of a sample's tool calls: runs without
// assert.toolCalls() never load it.

/** Why the call's arguments do not fit the expectation, or undefined when they do. */
async function argumentProblem(expected: ExpectedToolCall, call: ToolCall): Promise<string | undefined> {
  if (call.invalidArguments !== undefined) return `are not a JSON object: ${shorten(call.invalidArguments)}`
  if (expected.args === undefined) return undefined
  if (isStandardSchema(expected.args)) {
    const result = await expected.args['~standard'].validate(call.arguments)
    if (!result.issues) return undefined
    const issue = result.issues[0]!
    return `${formatPath(issue.path) || '(arguments)'}: ${issue.message}`
  }
  return fieldProblem(expected.args, call.arguments, '')
}

function fieldProblem(expected: Record<string, unknown>, actual: Record<string, unknown>, path: string): string | undefined {
  for (const [key, want] of Object.entries(expected)) {
    const at = path ? `${path}.${key}` : key
    if (!Object.hasOwn(actual, key)) return `${at}: missing`
    const got = actual[key]
    if (isPlainObject(want) && isPlainObject(got)) {
      const problem = fieldProblem(want, got, at)
      if (problem !== undefined) return problem
    } else if (!isDeepStrictEqual(want, got)) {
      return `${at}: expected ${shorten(JSON.stringify(want))}, got ${shorten(JSON.stringify(got) ?? String(got))}`
    }
  }
  return undefined
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text)

/** Largest one-to-one matching of expected to actual calls (Kuhn's augmenting paths; a handful of calls). */
function matchAnyOrder(fits: boolean[][], actual: number): (number | undefined)[] {
  const owner: (number | undefined)[] = Array.from({ length: actual }, () => undefined)
  const augment = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < actual; j++) {
      if (!fits[i]![j] || seen[j]) continue
      seen[j] = true
      if (owner[j] === undefined || augment(owner[j]!, seen)) {
        owner[j] = i
        return true
      }
    }
    return false
  }
  for (let i = 0; i < fits.length; i++) augment(i, [])
  const assigned: (number | undefined)[] = fits.map(() => undefined)
  owner.forEach((i, j) => i !== undefined && (assigned[i] = j))
  return assigned
}

/** Longest in-order matching (a longest common subsequence under `fits`). */
function matchInOrder(fits: boolean[][], actual: number): (number | undefined)[] {
  const n = fits.length
  const table = Array.from({ length: n + 1 }, () => new Array<number>(actual + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = actual - 1; j >= 0; j--) {
      table[i]![j] = fits[i]![j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!)
    }
  }
  const assigned: (number | undefined)[] = fits.map(() => undefined)
  for (let i = 0, j = 0; i < n && j < actual; ) {
    if (fits[i]![j] && table[i]![j] === table[i + 1]![j + 1]! + 1) assigned[i++] = j++
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++
    else j++
  }
  return assigned
}

/** Matches the expected calls to the calls made; the score is their share or F1 (see toolCalls()). */
export async function matchToolCalls(spec: ToolCallsAssertion, { toolCalls: calls }: AssertionContext): Promise<AssertionResult> {
  const problems = await Promise.all(spec.expect.map((expected) => Promise.all(calls.map((call) => (call.name === expected.name ? argumentProblem(expected, call) : Promise.resolve('another tool'))))))
  const fits = problems.map((row) => row.map((problem) => problem === undefined))
  const assigned = (spec.order === 'exact' ? matchInOrder : matchAnyOrder)(fits, calls.length)
  const matched = assigned.filter((j) => j !== undefined).length
  const expectedCount = spec.expect.length
  const score = spec.allowExtra ? (expectedCount === 0 ? 1 : matched / expectedCount) : expectedCount + calls.length === 0 ? 1 : (2 * matched) / (expectedCount + calls.length)
  const used = new Set(assigned.filter((j): j is number => j !== undefined))
  const extra = calls.findIndex((_, j) => !used.has(j))
  const pass = matched === expectedCount && (spec.allowExtra || extra === -1)
  if (pass) return { pass, score: round(score), reason: expectedCount === 0 ? 'no tool was called' : `${matched}/${expectedCount} expected calls made: ${listed(spec.expect)}${extra === -1 ? '' : ` (also called: ${listed(calls.filter((_, j) => !used.has(j)))})`}` }
  return { pass, score: round(score), reason: `${matched}/${expectedCount} expected calls matched, ${calls.length} made; ${firstMismatch(spec, calls, problems, assigned, used, extra)}` }
}

function firstMismatch(spec: ToolCallsAssertion, calls: readonly ToolCall[], problems: (string | undefined)[][], assigned: (number | undefined)[], used: Set<number>, extra: number): string {
  const missing = assigned.findIndex((j) => j === undefined)
  if (missing !== -1) {
    const expected = spec.expect[missing]!
    const sameName = calls.map((call, j) => ({ call, j })).filter(({ call }) => call.name === expected.name)
    const wrongArgs = sameName.find(({ j }) => !used.has(j) && problems[missing]![j] !== undefined) ?? sameName.find(({ j }) => problems[missing]![j] !== undefined)
    if (wrongArgs) return `call ${wrongArgs.j + 1} ${expected.name}: arguments ${problems[missing]![wrongArgs.j]}`
    if (sameName.length > 0 && spec.order === 'exact') return `${expected.name} is called out of order: expected ${listed(spec.expect)}, got ${listed(calls)}`
    if (sameName.length > 0) return `expected ${spec.expect.filter((call) => call.name === expected.name).length} calls to ${expected.name}, got ${sameName.length}`
    return `missing call to ${expected.name} (called: ${listed(calls)})`
  }
  const call = calls[extra]!
  if (!spec.expect.some((expected) => expected.name === call.name)) return `unknown tool ${call.name} called (call ${extra + 1}; expected only ${listed(spec.expect)})`
  return `extra call ${extra + 1} to ${call.name} (expected ${spec.expect.filter((expected) => expected.name === call.name).length})`
}
