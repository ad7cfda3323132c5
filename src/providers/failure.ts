import { AssayError, type AssayErrorCode, type AssayErrorDetails } from '../errors.js'

export interface FailureDetails extends AssayErrorDetails {
  /** Worth trying again: the server's trouble (unreachable, 5xx, 429, a broken stream, a timeout). */
  retryable: boolean
  status?: number
  /** How long the server asked us to wait (Retry-After). */
  retryAfterMs?: number
}

/** A model call that failed; says whether a retry may help. */
export class ProviderFailure extends AssayError {
  readonly retryable: boolean
  readonly status: number | undefined
  readonly retryAfterMs: number | undefined

  constructor(code: AssayErrorCode, message: string, details: FailureDetails) {
    super(code, message, details)
    this.retryable = details.retryable
    this.status = details.status
    this.retryAfterMs = details.retryAfterMs
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderFailure && error.retryable
}
