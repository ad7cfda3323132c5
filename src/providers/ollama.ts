import { Ollama, type ChatResponse as OllamaChatResponse, type Tool } from 'ollama'
import { checkEmbeddings } from './embeddings.js'
import { ProviderFailure } from './failure.js'
import { AnswerBudget, DEFAULT_ANSWER_BYTES, MAX_ERROR_BODY_BYTES, maxLineBytes, readBounded } from './limits.js'
import { excerpt, wholeJsonLines } from './ndjson.js'
import type { CallOptions, ChatOptions, ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, Provider, ProviderCheck, ShowInfo } from './types.js'
import type { ToolCall } from './tools.js'

const NANOS_PER_MS = 1e6

/** /api/show reads model metadata and answers at once; a server that does not is treated as unknown. */
const SHOW_TIMEOUT_MS = 10_000
/** /api/show without verbose is a few kilobytes; more is not metadata worth reading. */
const MAX_SHOW_BYTES = 1024 * 1024

/** Tenths of a millisecond: finer is noise, and fixtures stay readable. */
const round = (ms: number) => Math.round(ms * 10) / 10

/** Ollama through its official client, streaming so time to first token is measured. */
export class OllamaProvider implements Provider {
  constructor(
    readonly host: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  /**
   * A client per call, whose fetch carries the caller's signal from the first byte on and keeps
   * the Retry-After of a refused request (the client's own error drops the headers). What the
   * server sends is bounded before the client sees it: streamed lines arrive whole, checked and at
   * most `lineBytes` long; an error body is read up to MAX_ERROR_BODY_BYTES and handed on as JSON
   * (so the client neither reads an endless body nor logs its own messages to the console).
   */
  private client(signal: AbortSignal | undefined, seen: { retryAfter?: string | null }, lineBytes: number): Ollama {
    const where = `Ollama at ${this.host}`
    const fetchWithSignal: typeof fetch = async (input, init) => {
      const merged = signal ? (init?.signal ? AbortSignal.any([init.signal, signal]) : signal) : init?.signal
      const response = await this.fetchImpl(input, { ...init, ...(merged ? { signal: merged } : {}) })
      if (!response.ok) {
        seen.retryAfter = response.headers.get('retry-after')
        const message = await errorMessage(response)
        return new Response(JSON.stringify({ error: message || `HTTP ${response.status} ${response.statusText}`.trim() }), { status: response.status, statusText: response.statusText, headers: { 'content-type': 'application/json' } })
      }
      if (!response.body) return response
      return new Response(wholeJsonLines(response.body, lineBytes, where), { status: response.status, statusText: response.statusText, headers: response.headers })
    }
    return new Ollama({ host: this.host, fetch: fetchWithSignal })
  }

  async chat(request: ChatRequest, { signal, stopWhen, maxAnswerBytes = DEFAULT_ANSWER_BYTES }: ChatOptions = {}): Promise<ChatResponse> {
    const started = this.now()
    const budget = new AnswerBudget(maxAnswerBytes, `Ollama at ${this.host}`)
    let cutShort: string | undefined
    let firstTokenMs: number | undefined
    let content = ''
    let thinking = ''
    const toolCalls: ToolCall[] = []
    let last: OllamaChatResponse | undefined
    const seen: { retryAfter?: string | null } = {}
    try {
      const stream = await this.client(signal, seen, maxLineBytes(maxAnswerBytes)).chat({
        model: request.model,
        messages: request.messages,
        ...(request.format === undefined ? {} : { format: request.format }),
        ...(request.options === undefined ? {} : { options: request.options }),
        ...(request.think === undefined ? {} : { think: request.think }),
        // Ollama's tools are the OpenAI protocol's function definitions; its type is narrower than JSON schema.
        ...(request.tools === undefined ? {} : { tools: request.tools as Tool[] }),
        stream: true,
      })
      for await (const chunk of stream) {
        if (firstTokenMs === undefined && (chunk.message?.content || chunk.message?.thinking)) firstTokenMs = round(this.now() - started)
        try {
          budget.add(chunk.message?.content)
          budget.add(chunk.message?.thinking)
        } catch (error) {
          stream.abort()
          throw error
        }
        content += chunk.message?.content ?? ''
        thinking += chunk.message?.thinking ?? ''
        for (const call of chunk.message?.tool_calls ?? []) toolCalls.push(toolCallOf(call.function?.name, call.function?.arguments))
        last = chunk
        cutShort = chunk.done || !chunk.message?.content ? undefined : stopWhen?.(content)
        if (cutShort !== undefined) {
          stream.abort()
          break
        }
      }
    } catch (error) {
      throw this.explain(error, request.model, seen.retryAfter ?? undefined)
    }
    const millis = (nanos: number | undefined) => (typeof nanos === 'number' ? nanos / NANOS_PER_MS : undefined)
    return {
      content,
      thinking: thinking === '' ? undefined : thinking,
      model: last?.model ?? request.model,
      doneReason: cutShort === undefined ? last?.done_reason : 'cut-short',
      usage: { promptTokens: last?.prompt_eval_count, completionTokens: last?.eval_count },
      timing: {
        latencyMs: round(this.now() - started),
        firstTokenMs,
        totalMs: millis(last?.total_duration),
        loadMs: millis(last?.load_duration),
        promptEvalMs: millis(last?.prompt_eval_duration),
        evalMs: millis(last?.eval_duration),
      },
      ...(cutShort === undefined ? {} : { cutShort }),
      ...(toolCalls.length === 0 ? {} : { toolCalls }),
    }
  }

  /** `/api/embed`: every text in one request. */
  async embed(request: EmbedRequest, { signal }: CallOptions = {}): Promise<EmbedResponse> {
    const started = this.now()
    const seen: { retryAfter?: string | null } = {}
    let answer: Awaited<ReturnType<Ollama['embed']>>
    try {
      answer = await this.client(signal, seen, maxLineBytes(DEFAULT_ANSWER_BYTES)).embed({ model: request.model, input: request.input })
    } catch (error) {
      throw this.explain(error, request.model, seen.retryAfter ?? undefined)
    }
    return {
      embeddings: checkEmbeddings(answer.embeddings, request.input.length, `Ollama at ${this.host}`),
      model: typeof answer.model === 'string' ? answer.model : request.model,
      usage: { promptTokens: typeof answer.prompt_eval_count === 'number' ? answer.prompt_eval_count : undefined },
      timing: { latencyMs: round(this.now() - started) },
    }
  }

  async check(model: string, { signal }: { signal?: AbortSignal } = {}): Promise<ProviderCheck> {
    let names: string[]
    try {
      names = (await this.client(signal, {}, maxLineBytes(DEFAULT_ANSWER_BYTES)).list()).models.map((entry) => entry.name)
    } catch (error) {
      const failure = this.explain(error, model, undefined)
      return { status: failure.code === 'ASSAY_PROVIDER_UNREACHABLE' ? 'unreachable' : 'failed', message: failure.message, fix: failure.fix }
    }
    // `llama3.2` is served as `llama3.2:latest`.
    if (names.includes(model) || (!model.includes(':') && names.includes(`${model}:latest`))) return { status: 'ok' }
    return { status: 'model-missing', message: `Model "${model}" is not available on ${this.host}.`, fix: `Run \`ollama pull ${model}\` on that server, or correct the model name.` }
  }

  /** `/api/show`, its body read up to MAX_SHOW_BYTES: a server's metadata is data like any answer. */
  async show(model: string): Promise<ShowInfo> {
    const capped: typeof fetch = async (input, init) => {
      const response = await this.fetchImpl(input, { ...init, signal: AbortSignal.timeout(SHOW_TIMEOUT_MS) })
      const chunks: Uint8Array[] = []
      let size = 0
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength
        if (size > MAX_SHOW_BYTES) throw new Error(`/api/show sent more than ${MAX_SHOW_BYTES} bytes`)
        chunks.push(chunk)
      }
      return new Response(Buffer.concat(chunks), { status: response.status, headers: response.headers })
    }
    const { parameters, model_info } = await new Ollama({ host: this.host, fetch: capped }).show({ model })
    return { ...(typeof parameters === 'string' ? { parameters } : {}), ...(model_info && typeof model_info === 'object' ? { model_info } : {}) }
  }

  private explain(error: unknown, model: string, retryAfter: string | undefined): ProviderFailure {
    if (error instanceof ProviderFailure) return error
    const status = (error as { status_code?: unknown }).status_code
    const message = error instanceof Error ? error.message : String(error)
    if (status === 404 && /not found/i.test(message)) {
      return new ProviderFailure('ASSAY_PROVIDER_MODEL_NOT_FOUND', `Model "${model}" is not available on ${this.host}: ${message}.`, {
        fix: `Run \`ollama pull ${model}\` on that server, or correct the model name.`,
        retryable: false,
        cause: error,
      })
    }
    if (typeof status !== 'number' && isConnectionError(error)) {
      return new ProviderFailure('ASSAY_PROVIDER_UNREACHABLE', `Cannot reach Ollama at ${this.host} (${causeMessage(error)}).`, {
        fix: 'Start it with `ollama serve`, point OLLAMA_HOST or ollama.host in assay.config.ts at it, or run from fixtures with --record replay.',
        retryable: true,
        cause: error,
      })
    }
    if (typeof status === 'number') {
      // 429 and 5xx are the server's trouble and pass; any other 4xx is the request's and stays.
      const retryable = status === 429 || status >= 500
      return new ProviderFailure('ASSAY_PROVIDER_FAILED', `Ollama at ${this.host} failed with HTTP ${status}: ${message}`, {
        retryable,
        status,
        retryAfterMs: parseRetryAfter(retryAfter),
        cause: error,
      })
    }
    // A stream that ended without its final chunk, a line that is not JSON, a reset connection.
    return new ProviderFailure('ASSAY_PROVIDER_FAILED', `Ollama at ${this.host} sent a broken response: ${message}`, { retryable: true, cause: error })
  }
}

/** A call as the server sent it: arguments that are not an object are kept as text and named. */
function toolCallOf(name: unknown, args: unknown): ToolCall {
  const call = { name: typeof name === 'string' ? name : String(name) }
  if (typeof args === 'object' && args !== null && !Array.isArray(args)) return { ...call, arguments: args as Record<string, unknown> }
  return { ...call, arguments: {}, invalidArguments: (JSON.stringify(args) ?? String(args)).slice(0, 500) }
}

/**
 * The message of an error body, from at most MAX_ERROR_BODY_BYTES of it: Ollama's `{"error": ...}`
 * when it is that, else the text; cut to a readable length either way.
 */
async function errorMessage(response: Response): Promise<string> {
  const { text } = await readBounded(response, MAX_ERROR_BODY_BYTES, 'keep')
  let message = text.trim()
  try {
    const parsed = JSON.parse(message) as { error?: unknown }
    if (typeof parsed.error === 'string') message = parsed.error
  } catch {
    // Not JSON, or JSON cut off at the byte limit: the text, less the start of an `{"error": "` wrapper.
    message = message.replace(/^\{\s*"error"\s*:\s*"/, '')
  }
  return excerpt(message, 2000)
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function isConnectionError(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed/i.test(error.message)
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}
