/** What every assertion returns: a verdict, a score in 0..1, and a reason a person can read. */
export interface AssertionResult {
  pass: boolean
  score: number
  reason: string
}

/** What an assertion sees of one sample. */
export interface AssertionContext {
  /** The model's answer, or the task's output as text. */
  output: string
  vars: Readonly<Record<string, unknown>>
  /** The case's golden reference output, when it has one. */
  reference: string | undefined
}

export type LengthUnit = 'chars' | 'words'

export interface LengthAssertion {
  kind: 'length'
  min: number | undefined
  max: number | undefined
  unit: LengthUnit
}

export interface ContainsAssertion {
  kind: 'contains'
  values: string[]
  ignoreCase: boolean
}

export interface MatchesAssertion {
  kind: 'matches'
  source: string
  flags: string
}

/** An assertion as data: serialisable, so it can be shown in reports and keyed in caches. */
export type AssertionSpec = LengthAssertion | ContainsAssertion | MatchesAssertion
export type AssertionKind = AssertionSpec['kind']

export interface AssertionHandler<S extends AssertionSpec> {
  /** A short label for reports: `length 1000..5000 chars`. */
  describe(spec: S): string
  evaluate(spec: S, context: AssertionContext): AssertionResult | Promise<AssertionResult>
}

/** Exhaustive: a new kind without a handler fails to type-check. */
export type AssertionHandlers = { [K in AssertionKind]: AssertionHandler<Extract<AssertionSpec, { kind: K }>> }
