import { ProviderFailure } from './failure.js'

const NEWLINE = 0x0a

/**
 * A streamed NDJSON body re-cut so that every chunk ends at a line break and holds only whole lines
 * that parse as JSON. Three things follow: the client's own line splitting (which re-splits its
 * whole buffer on every chunk, quadratic on one long line) only ever sees short buffers; a line
 * longer than `maxLineBytes` stops the stream with a reason naming the limit instead of growing
 * without end; and a line that is not JSON becomes our error, not a console.warn of the server's
 * text around the output guard.
 */
export function wholeJsonLines(body: ReadableStream<Uint8Array>, maxLineBytes: number, where: string): ReadableStream<Uint8Array> {
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  const decoder = new TextDecoder()
  /** Whether to hand the line on: blank lines are dropped (the client would warn about them). */
  const check = (line: Uint8Array): boolean => {
    const text = decoder.decode(line).trim()
    if (text === '') return false
    try {
      JSON.parse(text)
    } catch {
      throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `${where} sent a line that is not JSON: ${excerpt(text)}`, { retryable: true })
    }
    return true
  }
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        let start = 0
        let end = chunk.indexOf(NEWLINE)
        const whole: Uint8Array[] = []
        while (end !== -1) {
          const piece = chunk.subarray(start, end)
          const line = pendingBytes === 0 ? piece : concat([...pending, piece], pendingBytes + piece.byteLength)
          if (line.byteLength > maxLineBytes) throw tooLong(where, maxLineBytes)
          if (check(line)) whole.push(line, NEWLINE_BYTES)
          pending = []
          pendingBytes = 0
          start = end + 1
          end = chunk.indexOf(NEWLINE, start)
        }
        if (start < chunk.byteLength) {
          const rest = chunk.subarray(start)
          pendingBytes += rest.byteLength
          if (pendingBytes > maxLineBytes) throw tooLong(where, maxLineBytes)
          pending.push(rest.slice())
        }
        if (whole.length > 0) controller.enqueue(concat(whole, whole.reduce((sum, part) => sum + part.byteLength, 0)))
      },
      flush(controller) {
        if (pendingBytes === 0) return
        const line = concat(pending, pendingBytes)
        if (check(line)) controller.enqueue(line)
      },
    }),
  )
}

const NEWLINE_BYTES = new Uint8Array([NEWLINE])

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
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
