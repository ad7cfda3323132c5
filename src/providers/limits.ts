import { configDefaults } from '../config/defaults.js'
import { ProviderFailure } from './failure.js'

/** How many bytes (UTF-8, answer and thinking together) one answer may reach: limits.answerBytes. */
export const DEFAULT_ANSWER_BYTES = configDefaults.answerBytes

/** Bytes of a server's error body read; the rest is left unread. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024

/** The longest NDJSON line accepted: a whole answer in one line, escaped, with room for its fields. */
export function maxLineBytes(answerBytes: number): number {
  return answerBytes * 4 + 64 * 1024
}

/**
 * Counts an answer as it streams and stops it at the limit, so a server that never ends its answer
 * costs at most the limit in memory, not everything it sends.
 */
export class AnswerBudget {
  private bytes = 0

  constructor(
    private readonly limit: number,
    /** `Ollama at http://…`, for the message. */
    private readonly where: string,
  ) {}

  add(text: string | undefined): void {
    if (!text) return
    this.bytes += Buffer.byteLength(text)
    if (this.bytes > this.limit) {
      throw new ProviderFailure('ASSAY_ANSWER_TOO_LARGE', `${this.where} sent an answer longer than limits.answerBytes (${this.limit.toLocaleString('en')} bytes), so the stream was stopped there.`, {
        fix: 'Bound the answer with a token limit (options.num_predict or max_tokens), or raise limits.answerBytes in assay.config.ts if answers this long are expected.',
        retryable: false,
      })
    }
  }
}

/** A response body read as text up to a byte limit; `over` says the server sent more than that. */
export interface BoundedBody {
  text: string
  over: boolean
}

/**
 * Reads at most `limit` bytes of a response body as text and leaves the rest unread, so a server
 * that sends without end costs the limit, not what it sends. A body that breaks off mid-way throws,
 * unless `partial` asks for what arrived before the break (an error body's start is still the best
 * message there is).
 */
export async function readBounded(response: Response, limit: number, partial: 'throw' | 'keep' = 'throw'): Promise<BoundedBody> {
  if (!response.body) return { text: '', over: false }
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return { text: text + decoder.decode(), over: false }
      const room = limit - bytes
      bytes += value.byteLength
      if (value.byteLength > room) return { text: text + decoder.decode(value.subarray(0, room)), over: true }
      text += decoder.decode(value, { stream: true })
    }
  } catch (error) {
    if (partial === 'keep') return { text: text + decoder.decode(), over: false }
    throw error
  } finally {
    void reader.cancel().catch(() => undefined)
  }
}
