import { ProviderFailure } from './failure.js'

const NEWLINE = 0x0a

/**
 * An NDJSON body cut into its lines, however the reads split it: each line comes out whole and
 * parsed. A line longer than `maxLineBytes` stops the body with a reason naming the limit instead
 * of growing without end, and a line that is not JSON is our error, quoting its start. Blank lines
 * are skipped. Lines are cut at the newline byte, which no multi-byte UTF-8 character contains, so
 * each line decodes on its own.
 */
export class JsonLines {
  private pending: Buffer[] = []
  private pendingBytes = 0

  constructor(
    private readonly maxLineBytes: number,
    /** `Ollama at http://…`, for messages. */
    private readonly where: string,
  ) {}

  /** The lines this read completes, parsed, in order. */
  push(chunk: Buffer): unknown[] {
    const lines: unknown[] = []
    let start = 0
    let end = chunk.indexOf(NEWLINE)
    while (end !== -1) {
      const piece = chunk.subarray(start, end)
      if (this.pendingBytes + piece.byteLength > this.maxLineBytes) throw tooLong(this.where, this.maxLineBytes)
      const line = this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece], this.pendingBytes + piece.byteLength)
      this.pending = []
      this.pendingBytes = 0
      this.parse(line, lines)
      start = end + 1
      end = chunk.indexOf(NEWLINE, start)
    }
    if (start < chunk.byteLength) {
      const rest = chunk.subarray(start)
      this.pendingBytes += rest.byteLength
      if (this.pendingBytes > this.maxLineBytes) throw tooLong(this.where, this.maxLineBytes)
      // A copy: the read's buffer may be reused once this returns.
      this.pending.push(Buffer.from(rest))
    }
    return lines
  }

  /** The last line, when the body ended without a newline after it. */
  end(): unknown[] {
    const lines: unknown[] = []
    if (this.pendingBytes > 0) this.parse(Buffer.concat(this.pending, this.pendingBytes), lines)
    this.pending = []
    this.pendingBytes = 0
    return lines
  }

  private parse(line: Buffer, into: unknown[]): void {
    const text = line.toString('utf8').trim()
    if (text === '') return
    try {
      into.push(JSON.parse(text))
    } catch {
      throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `${this.where} sent a line that is not JSON: ${excerpt(text)}`, { retryable: true })
    }
  }
}

function tooLong(where: string, limit: number): ProviderFailure {
  return new ProviderFailure('ASSAY_ANSWER_TOO_LARGE', `${where} sent one streamed line of more than ${limit} bytes, so the stream was stopped (4 × limits.answerBytes + 64 KiB).`, {
    fix: 'Raise limits.answerBytes in assay.config.ts if answers this long are expected; otherwise the server is misbehaving.',
    retryable: false,
  })
}

/** A server's text in an error message: its start, with the length of the rest. */
export function excerpt(text: string, keep = 200): string {
  return text.length <= keep ? text : `${text.slice(0, keep)}… (${text.length - keep} more characters)`
}
