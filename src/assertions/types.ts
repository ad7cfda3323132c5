import type { ToolCall } from '../results/types.js'
import type { StandardSchemaV1 } from './standard-schema.js'
import type { AssertionKind as ResultKind } from '../results/words.js'

/** What every assertion returns: a verdict, a score in 0..1, and a reason a person can read. */
export interface AssertionResult {
  pass: boolean
  score: number
  reason: string
}

/** One model call of the sample, as an assertion sees it (replayed calls carry recorded figures). */
export interface CallFigures {
  latencyMs: number
  promptTokens: number | undefined
  completionTokens: number | undefined
}

/** A judge's request: through the same recorded-or-live client as the eval's own calls. */
export interface JudgeRequest {
  provider: string | undefined
  model: string
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[]
  format: Record<string, unknown>
  options: Record<string, unknown>
}

/** An embedding request from an assertion: several texts in one call. */
export interface EmbeddingRequest {
  provider: string | undefined
  model: string
  input: string[]
}

/** What an assertion sees of one sample. */
export interface AssertionContext {
  /** The answer with any `<think>...</think>` block removed. */
  output: string
  /** The answer exactly as the model gave it. */
  raw: string
  vars: Readonly<Record<string, unknown>>
  /** The case's golden reference output, when it has one. */
  reference: string | undefined
  /** The sample's model calls, in order (retries included). */
  calls: CallFigures[]
  /** The eval's model, the default judge. */
  model: string | undefined
  /** The tool calls the model made with the answer; empty when it made none. */
  toolCalls: readonly ToolCall[]
  /** Embeds texts (one vector each, in order); recorded in fixtures like any other call. */
  embed(request: EmbeddingRequest): Promise<number[][]>
  /** Calls a judge model; recorded in fixtures like any other call. */
  judge(request: JudgeRequest): Promise<string>
}

/** Options every assertion takes. */
export interface CommonOptions {
  /** Weight of this assertion's score in the sample's score. @default 1 */
  weight?: number
  /** Pass when score >= threshold, overriding the assertion's own rule. */
  threshold?: number
  /** Scored and shown, never fails the case. @default false */
  advisory?: boolean
}

/** The common options, resolved. */
export interface Common {
  weight: number
  threshold: number | undefined
  advisory: boolean
}

export type LengthUnit = 'chars' | 'words'

export interface LengthAssertion extends Common {
  kind: 'length'
  min: number | undefined
  max: number | undefined
  unit: LengthUnit
}

export interface ContainsAssertion extends Common {
  kind: 'contains' | 'notContains'
  values: string[]
  ignoreCase: boolean
}

export interface MatchesAssertion extends Common {
  kind: 'matches'
  source: string
  flags: string
}

export interface EqualsAssertion extends Common {
  kind: 'equals'
  expected: string | undefined
  ignoreCase: boolean
  ignoreWhitespace: boolean
}

export interface LanguageAssertion extends Common {
  kind: 'language'
  /** ISO 639-1, e.g. `en`; or `{{var}}` naming the language per case. */
  language: string
}

export interface NoCjkAssertion extends Common {
  kind: 'noCJK'
}

export interface PrintableAssertion extends Common {
  kind: 'printable'
  minRatio: number
}

export type JsonMode = 'strict' | 'lenient'

export interface JsonAssertion extends Common {
  kind: 'json'
  mode: JsonMode
}

export interface SchemaAssertion extends Common {
  kind: 'schema'
  mode: JsonMode
  schema: StandardSchemaV1
}

export type SimilarityMethod = 'levenshtein' | 'rouge-l' | 'embedding'

export interface SimilarAssertion extends Common {
  kind: 'similar'
  /** A fixed text; the case's `reference` when undefined. */
  to: string | undefined
  min: number
  method: SimilarityMethod
  /** The embedding model; set only for method 'embedding'. */
  model: string | undefined
  /** The provider of the embedding model; undefined until the plan fills in the eval's. */
  provider: string | undefined
}

export type QualityTask = 'creative' | 'analytical' | 'structured'

export interface QualityAssertion extends Common {
  kind: 'quality'
  min: number
  task: QualityTask
  /** Expected language, ISO 639-1 or `{{var}}`; the language sub-score is skipped without it. */
  language: string | undefined
}

export interface JudgeAssertion extends Common {
  kind: 'judge'
  rubric: string
  /** The provider the judge runs on; undefined until the plan fills in the eval's. */
  provider: string | undefined
  model: string | undefined
  min: number
  options: Record<string, unknown>
  /** Extra tries when the judge's answer is not the JSON asked for. */
  retries: number
}

export interface LatencyAssertion extends Common {
  kind: 'latency'
  maxMs: number
}

export type TokenCount = 'completion' | 'prompt' | 'total'

export interface TokensAssertion extends Common {
  kind: 'tokens'
  max: number
  count: TokenCount
}

export type ToolCallOrder = 'any' | 'exact'

export interface ExpectedToolCall {
  name: string
  /** A schema the arguments pass, or fields they must equal; any arguments when undefined. */
  args: StandardSchemaV1 | Record<string, unknown> | undefined
}

export interface ToolCallsAssertion extends Common {
  kind: 'toolCalls'
  expect: ExpectedToolCall[]
  order: ToolCallOrder
  allowExtra: boolean
}

export type CustomReturn = boolean | number | AssertionResult

export interface CustomAssertion extends Common {
  kind: 'custom'
  name: string
  fn: (output: string, context: AssertionContext) => CustomReturn | Promise<CustomReturn>
}

/** An assertion as declared in an eval. */
export type AssertionSpec =
  | LengthAssertion
  | ContainsAssertion
  | MatchesAssertion
  | EqualsAssertion
  | LanguageAssertion
  | NoCjkAssertion
  | PrintableAssertion
  | JsonAssertion
  | SchemaAssertion
  | SimilarAssertion
  | QualityAssertion
  | JudgeAssertion
  | LatencyAssertion
  | TokensAssertion
  | ToolCallsAssertion
  | CustomAssertion
export type AssertionKind = AssertionSpec['kind']
// results/words.ts names the kinds for the results model, below this folder; this fails tsc
// when the two lists differ, so a new assertion kind is added there too.
const sameKinds: [AssertionKind] extends [ResultKind] ? ([ResultKind] extends [AssertionKind] ? true : false) : false = true
void sameKinds

export interface AssertionHandler<S extends AssertionSpec> {
  /** A short label for reports: `length 1000..5000 chars`. */
  describe(spec: S): string
  evaluate(spec: S, context: AssertionContext): AssertionResult | Promise<AssertionResult>
  /**
   * For streaming: why a partial answer can no longer pass, or undefined while it still can.
   * Present only where a prefix decides the verdict (a maximum length, a forbidden script).
   */
  hopeless?(spec: S, partial: string): string | undefined
  /** Cheap and local: worth re-asking the model when it fails (retryOnFail). */
  cheap?: boolean
}

/** Exhaustive: a new kind without a handler fails to type-check. */
export type AssertionHandlers = { [K in AssertionKind]: AssertionHandler<Extract<AssertionSpec, { kind: K }>> }
