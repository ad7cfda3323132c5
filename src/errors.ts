/**
 * Errors a user can cause and fix. Each has a stable code, the file (and line or field) it
 * concerns, and the next step. The CLI prints them without a stack; anything else is a bug and
 * keeps its stack.
 */
export type AssayErrorCode =
  | 'ASSAY_CONFIG_INVALID'
  | 'ASSAY_CONFIG_LOAD_FAILED'
  | 'ASSAY_EVAL_LOAD_FAILED'
  | 'ASSAY_EVAL_INVALID'
  | 'ASSAY_EVAL_DUPLICATE'
  | 'ASSAY_NO_EVALS'
  | 'ASSAY_CASES_NOT_FOUND'
  | 'ASSAY_CASES_INVALID'
  | 'ASSAY_TEMPLATE_NOT_FOUND'
  | 'ASSAY_TEMPLATE_INVALID'
  | 'ASSAY_TEMPLATE_VARIABLE'
  | 'ASSAY_FIXTURE_MISSING'
  | 'ASSAY_CONTEXT_OVERFLOW'
  | 'ASSAY_FIXTURE_INVALID'
  | 'ASSAY_FIXTURE_COLLISION'
  | 'ASSAY_ANSWER_TOO_LARGE'
  | 'ASSAY_YAML_TOO_LARGE'
  | 'ASSAY_WORKSPACE_BUSY'
  | 'ASSAY_PROVIDER_UNREACHABLE'
  | 'ASSAY_PROVIDER_MODEL_NOT_FOUND'
  | 'ASSAY_PROVIDER_FAILED'
  | 'ASSAY_PROVIDER_TIMEOUT'
  | 'ASSAY_PROVIDER_CIRCUIT_OPEN'
  | 'ASSAY_PROVIDER_AUTH'
  | 'ASSAY_INTERRUPTED'
  | 'ASSAY_JUDGE_FAILED'
  | 'ASSAY_BASELINE_INVALID'
  | 'ASSAY_BASELINE_MISSING'
  | 'ASSAY_RESULTS_INVALID'
  | 'ASSAY_ASSERTION_FAILED'
  | 'ASSAY_USAGE'

export interface AssayErrorDetails {
  /** The file the mistake is in, relative to the project root where possible. */
  file?: string
  /** 1-based line, when known. */
  line?: number
  /** What to do about it, one sentence. */
  fix?: string
  cause?: unknown
}

export class AssayError extends Error {
  override readonly name = 'AssayError'
  readonly code: AssayErrorCode
  readonly file: string | undefined
  readonly line: number | undefined
  readonly fix: string | undefined

  constructor(code: AssayErrorCode, message: string, details: AssayErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.file = details.file
    this.line = details.line
    this.fix = details.fix
  }
}

/**
 * True for an AssayError, also one thrown by another copy of this module (an eval file may load
 * its own copy of assay), which `instanceof` would miss.
 */
export function isAssayError(error: unknown): error is AssayError {
  return (
    error instanceof Error &&
    error.name === 'AssayError' &&
    typeof (error as Partial<AssayError>).code === 'string'
  )
}

/** One paragraph: where, what, and what to do. */
export function formatAssayError(error: AssayError): string {
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : ''
  const fix = error.fix ? `\n  Fix: ${error.fix}` : ''
  return `${error.code} ${where}${error.message}${fix}`
}

/** A short text for any thrown value, for case results and logs. */
export function describeError(error: unknown): string {
  if (isAssayError(error)) return formatAssayError(error)
  if (error instanceof Error) return error.message || error.name
  return String(error)
}

/** Several user mistakes found in one pass; the CLI prints each. */
export class AggregateAssayError extends Error {
  override readonly name = 'AggregateAssayError'
  constructor(readonly errors: AssayError[]) {
    super(errors.map((error) => formatAssayError(error)).join('\n'))
  }
}

/** A mistake the user can fix (one AssayError or several), as against a bug in assay. */
export function isUserMistake(error: unknown): error is AssayError | AggregateAssayError {
  return isAssayError(error) || error instanceof AggregateAssayError
}
