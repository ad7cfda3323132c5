import { createParser } from 'eventsource-parser'
import { ProviderFailure } from './failure.js'
import { parseRetryAfter } from './ollama.js'
import { AnswerBudget, DEFAULT_ANSWER_BYTES, MAX_ERROR_BODY_BYTES, readBounded } from './limits.js'
import { literalPattern, Redactor } from '../output/redact.js'
import { checkEmbeddings } from './embeddings.js'
import type { CallOptions, ChatOptions, ChatRequest, ChatResponse, ChatUsage, EmbedRequest, EmbedResponse, Provider, ProviderCheck, ResponseFormat, ThinkSetting } from './types.js'
import type { ToolCall } from './tools.js'

/**
 * The wire may carry this many times limits.answerBytes: each streamed token comes wrapped in about
 * a hundred bytes of JSON. Past it (a server sending empty events forever), the stream is cut off.
 */
const WIRE_BYTES_PER_ANSWER_BYTE = 32
/** Characters of a server's error message kept in ours. */
const MAX_ERROR_MESSAGE = 500
/** Request fields assay sets itself; an option of the same name would silently break the call. */
const RESERVED = new Set(['model', 'messages', 'stream', 'stream_options', 'response_format', 'tools'])

export interface OpenAIProviderOptions {
  /** The provider's name in the config, for messages. */
  name: string
  /** The server's base URL, up to and including `/v1`. */
  baseURL: string
  apiKey: string | undefined
  /** Where the key comes from, named in the error of a refused key. */
  apiKeyEnv: string | undefined
  headers?: Record<string, string>
  /** Ask for server-sent events (and usage with `stream_options`). @default true */
  stream?: boolean
  /** Bytes on the wire for one answer. @default 32 x limits.answerBytes */
  maxResponseBytes?: number
  fetch?: typeof fetch
  now?: () => number
}

/** Tenths of a millisecond, as for Ollama. */
const round = (ms: number) => Math.round(ms * 10) / 10

/**
 * An OpenAI-compatible server (vLLM, llama.cpp's server, TGI, LM Studio, LocalAI, hosted APIs)
 * through `/chat/completions`, with plain fetch and an SSE parser: the official client is 12 MB
 * unpacked and brings its own retries, which assay's HostPool already does provider-neutrally.
 */
export class OpenAIProvider implements Provider {
  readonly host: string
  private readonly fetchImpl: typeof fetch
  private readonly now: () => number
  /** The key and header values, hidden from our own messages even when shorter than config redaction takes. */
  private readonly secrets: Redactor

  constructor(private readonly options: OpenAIProviderOptions) {
    this.host = options.baseURL.replace(/\/+$/, '')
    this.fetchImpl = options.fetch ?? fetch
    this.now = options.now ?? performance.now.bind(performance)
    this.secrets = new Redactor(
      [options.apiKey, ...Object.values(options.headers ?? {})].filter((value): value is string => value !== undefined && value !== '').map(literalPattern),
    )
  }

  private get label(): string {
    return `Provider "${this.options.name}"`
  }

  private headers(): Record<string, string> {
    return {
      'content-type': 'application/json',
      ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      ...this.options.headers,
    }
  }

  async chat(request: ChatRequest, { signal, stopWhen, maxAnswerBytes = DEFAULT_ANSWER_BYTES }: ChatOptions = {}): Promise<ChatResponse> {
    const started = this.now()
    const stream = this.options.stream ?? true
    const body = {
      ...requestOptions(request.options, this.label),
      model: request.model,
      messages: request.messages,
      ...(request.format === undefined ? {} : { response_format: responseFormat(request.format) }),
      ...(request.tools === undefined ? {} : { tools: request.tools }),
      ...reasoningEffort(request.think, this.label),
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
    }
    // Our own controller, so an early stop can end the download without the caller's signal.
    const controller = new AbortController()
    const cancel = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal
    let response: Response
    try {
      response = await this.fetchImpl(`${this.host}/chat/completions`, { method: 'POST', headers: this.headers(), body: JSON.stringify(body), signal: cancel })
    } catch (error) {
      if (signal?.aborted) throw error
      throw this.unreachable(error)
    }
    if (!response.ok) throw await this.refused(response, request.model)
    const answer = new Answer(this.now, started, this.options.maxResponseBytes ?? maxAnswerBytes * WIRE_BYTES_PER_ANSWER_BYTE, this.label, this.host, new AnswerBudget(maxAnswerBytes, `${this.label} at ${this.host}`))
    try {
      if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) await this.readEvents(response, answer, controller, stopWhen)
      else answer.whole(parseJson(await readText(response, answer.limit, this.label, this.host), this.label, this.host))
    } catch (error) {
      if (error instanceof ProviderFailure) throw this.scrubbed(error)
      if (signal?.aborted) throw error
      throw this.scrubbed(new ProviderFailure('ASSAY_PROVIDER_FAILED', `${this.label} at ${this.host} sent a broken response: ${(error as Error).message}`, { retryable: true, cause: error }))
    }
    return answer.response(request.model)
  }

  /** Reads server-sent events; linear in the answer's size, bounded by the byte limit. */
  private async readEvents(response: Response, answer: Answer, controller: AbortController, stopWhen: ChatOptions['stopWhen']): Promise<void> {
    let done = false
    const parser = createParser({
      onEvent: (event) => {
        if (done) return
        if (event.data.trim() === '[DONE]') {
          done = true
          return
        }
        answer.chunk(parseJson(event.data, this.label, this.host), stopWhen)
        if (answer.cutShort !== undefined) done = true
      },
    })
    const decoder = new TextDecoder()
    const reader = response.body!.getReader()
    try {
      while (!done) {
        const { value, done: ended } = await reader.read()
        if (ended) break
        answer.count(value.byteLength)
        parser.feed(decoder.decode(value, { stream: true }))
      }
    } finally {
      if (done) controller.abort()
      reader.releaseLock()
    }
    if (!done && answer.finishReason === undefined) {
      throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `${this.label} at ${this.host} sent a broken response: the stream ended before its last event.`, { retryable: true })
    }
  }

  /** `/embeddings`: every text in one request; vectors come back by index. */
  async embed(request: EmbedRequest, { signal }: CallOptions = {}): Promise<EmbedResponse> {
    const started = this.now()
    let response: Response
    try {
      response = await this.fetchImpl(`${this.host}/embeddings`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ model: request.model, input: request.input }), ...(signal ? { signal } : {}) })
    } catch (error) {
      throw this.unreachable(error)
    }
    if (!response.ok) throw await this.refused(response, request.model)
    try {
      const body = parseJson(await readText(response, this.options.maxResponseBytes ?? DEFAULT_ANSWER_BYTES * WIRE_BYTES_PER_ANSWER_BYTE, this.label, this.host), this.label, this.host) as EmbeddingsBody
      if (body.error !== undefined) throw streamError(body.error, this.label, this.host)
      const data = Array.isArray(body.data) ? [...body.data] : []
      data.sort((a, b) => Number(a?.index ?? 0) - Number(b?.index ?? 0))
      const usage = body.usage as { prompt_tokens?: unknown } | undefined
      return {
        embeddings: checkEmbeddings(data.map((entry) => entry?.embedding), request.input.length, `${this.label} at ${this.host}`),
        model: typeof body.model === 'string' ? body.model : request.model,
        usage: { promptTokens: numberOr(usage?.prompt_tokens) },
        timing: { latencyMs: round(this.now() - started) },
      }
    } catch (error) {
      if (error instanceof ProviderFailure) throw this.scrubbed(error)
      if (signal?.aborted) throw error
      throw this.scrubbed(new ProviderFailure('ASSAY_PROVIDER_FAILED', `${this.label} at ${this.host} sent a broken response: ${(error as Error).message}`, { retryable: true, cause: error }))
    }
  }

  async check(model: string, { signal }: { signal?: AbortSignal } = {}): Promise<ProviderCheck> {
    let response: Response
    try {
      response = await this.fetchImpl(`${this.host}/models`, { headers: this.headers(), ...(signal ? { signal } : {}) })
    } catch (error) {
      const failure = this.unreachable(error)
      return { status: 'unreachable', message: failure.message, fix: failure.fix }
    }
    if (!response.ok) {
      const failure = await this.refused(response, model)
      return { status: failure.code === 'ASSAY_PROVIDER_AUTH' ? 'unauthorized' : 'failed', message: failure.message, fix: failure.fix }
    }
    let ids: string[]
    try {
      const listed = parseJson(await readText(response, MAX_ERROR_BODY_BYTES * 16, this.label, this.host), this.label, this.host) as { data?: { id?: unknown }[] }
      ids = (Array.isArray(listed.data) ? listed.data : []).map((entry) => String(entry?.id))
    } catch (error) {
      return { status: 'failed', message: this.scrubbed(error as ProviderFailure).message, fix: undefined }
    }
    if (ids.includes(model)) return { status: 'ok' }
    const served = ids.slice(0, 5).map((id) => `"${id}"`).join(', ')
    return {
      status: 'model-missing',
      message: this.hide(`${this.label} at ${this.host} does not serve model "${model}"${served ? ` (it serves ${served}${ids.length > 5 ? ', ...' : ''})` : ''}.`),
      fix: 'Use the model name exactly as the server lists it under /models, or start the server with that model.',
    }
  }

  private unreachable(error: unknown): ProviderFailure {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return new ProviderFailure('ASSAY_PROVIDER_UNREACHABLE', this.hide(`Cannot reach ${this.label} at ${this.host} (${cause?.code ?? cause?.message ?? (error as Error).message}).`), {
      fix: `Start the server, correct providers.${this.options.name}.baseURL in assay.config.ts, or run from fixtures with --record replay.`,
      retryable: true,
      cause: error,
    })
  }

  /** The failure for a non-2xx answer: 401/403 and other 4xx are final, 429 and 5xx are worth a retry. */
  private async refused(response: Response, model: string): Promise<ProviderFailure> {
    const { status } = response
    const { text } = await readBounded(response, MAX_ERROR_BODY_BYTES, 'keep')
    const { message, code } = errorMessage(text)
    const detail = this.hide(`HTTP ${status}${message ? `: ${message}` : ''}`)
    if (status === 401 || status === 403) {
      const { apiKeyEnv, name } = this.options
      const fix =
        apiKeyEnv === undefined
          ? `The server wants a key: set providers.${name}.apiKeyEnv in assay.config.ts to the environment variable that holds it.`
          : this.options.apiKey === undefined
            ? `Set the environment variable ${apiKeyEnv} to the server's API key.`
            : `Set the environment variable ${apiKeyEnv} to a key this server accepts (the one it holds was refused).`
      return new ProviderFailure('ASSAY_PROVIDER_AUTH', `${this.label} at ${this.host} refused the request (${detail}).`, { fix, retryable: false, status })
    }
    if (status === 404 && (code === 'model_not_found' || /model/i.test(message))) {
      return new ProviderFailure('ASSAY_PROVIDER_MODEL_NOT_FOUND', `Model "${model}" is not available from ${this.label} at ${this.host} (${detail}).`, {
        fix: 'Use the model name exactly as the server lists it under /models, or start the server with that model.',
        retryable: false,
        status,
      })
    }
    const retryable = status === 429 || status >= 500
    return new ProviderFailure('ASSAY_PROVIDER_FAILED', `${this.label} at ${this.host} failed with ${detail}`, {
      retryable,
      status,
      retryAfterMs: retryAfterMs(response.headers),
      ...(status === 404 ? { fix: `Check providers.${this.options.name}.baseURL: it should end in /v1 (the path before /chat/completions).` } : {}),
    })
  }

  private hide(text: string): string {
    return this.secrets.text(text)
  }

  private scrubbed(failure: ProviderFailure): ProviderFailure {
    const message = this.hide(failure.message)
    if (message === failure.message) return failure
    return new ProviderFailure(failure.code, message, { fix: failure.fix, retryable: failure.retryable, status: failure.status, retryAfterMs: failure.retryAfterMs })
  }
}

/** The answer as it arrives, chunk by chunk or whole. */
class Answer {
  /** Grown with +=, which V8 keeps as a rope: linear in the answer's size. */
  private content = ''
  private thinking = ''
  private bytes = 0
  private model: string | undefined
  private usage: ChatUsage = {}
  private serverTiming: { promptEvalMs?: number; evalMs?: number } = {}
  private firstTokenMs: number | undefined
  /** Tool calls by their index; a stream sends each call's arguments in pieces. */
  private readonly calls: { name: string; arguments: string }[] = []
  finishReason: string | undefined
  cutShort: string | undefined

  constructor(
    private readonly now: () => number,
    private readonly started: number,
    readonly limit: number,
    private readonly label: string,
    private readonly host: string,
    /** limits.answerBytes on the answer itself, whatever the wire carries around it. */
    private readonly budget: AnswerBudget,
  ) {}

  count(bytes: number): void {
    this.bytes += bytes
    if (this.bytes > this.limit) throw tooLarge(this.label, this.host, this.limit)
  }

  chunk(data: unknown, stopWhen: ChatOptions['stopWhen']): void {
    const chunk = data as StreamChunk
    if (chunk.error !== undefined) throw streamError(chunk.error, this.label, this.host)
    this.note(chunk)
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined
    if (!choice) return
    const content = textOf(choice.delta?.content)
    const reasoning = textOf(choice.delta?.reasoning_content ?? choice.delta?.reasoning)
    if ((content || reasoning) && this.firstTokenMs === undefined) this.firstTokenMs = round(this.now() - this.started)
    this.budget.add(reasoning)
    this.thinking += reasoning
    for (const piece of Array.isArray(choice.delta?.tool_calls) ? choice.delta.tool_calls : []) {
      const index = typeof piece?.index === 'number' && piece.index >= 0 && piece.index < MAX_TOOL_CALLS ? piece.index : this.calls.length
      const call = (this.calls[index] ??= { name: '', arguments: '' })
      call.name += textOf(piece?.function?.name)
      call.arguments += textOf(piece?.function?.arguments)
      this.budget.add(textOf(piece?.function?.arguments))
    }
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason
    if (!content) return
    this.budget.add(content)
    this.content += content
    if (stopWhen && choice.finish_reason == null) this.cutShort = stopWhen(this.content)
  }

  whole(data: unknown): void {
    const body = data as CompletionBody
    if (body.error !== undefined) throw streamError(body.error, this.label, this.host)
    this.note(body)
    const choice = Array.isArray(body.choices) ? body.choices[0] : undefined
    if (!choice) throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `${this.label} at ${this.host} sent an answer with no choices.`, { retryable: true })
    this.content = textOf(choice.message?.content)
    this.thinking = textOf(choice.message?.reasoning_content ?? choice.message?.reasoning)
    this.budget.add(this.content)
    this.budget.add(this.thinking)
    for (const call of (Array.isArray(choice.message?.tool_calls) ? choice.message.tool_calls : []).slice(0, MAX_TOOL_CALLS)) {
      // The protocol sends arguments as JSON text; some servers send the object itself.
      const args = call?.function?.arguments
      this.calls.push({ name: textOf(call?.function?.name), arguments: typeof args === 'object' && args !== null ? JSON.stringify(args) : textOf(args) })
    }
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason
  }

  private note(chunk: { model?: unknown; usage?: unknown; timings?: unknown }): void {
    if (typeof chunk.model === 'string') this.model = chunk.model
    const usage = chunk.usage as { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined
    if (usage && typeof usage === 'object') this.usage = { promptTokens: numberOr(usage.prompt_tokens), completionTokens: numberOr(usage.completion_tokens) }
    // llama.cpp's server adds its own timings.
    const timings = chunk.timings as { prompt_ms?: unknown; predicted_ms?: unknown } | null | undefined
    if (timings && typeof timings === 'object') this.serverTiming = { promptEvalMs: numberOr(timings.prompt_ms), evalMs: numberOr(timings.predicted_ms) }
  }

  response(requested: string): ChatResponse {
    return {
      content: this.content,
      ...(this.thinking === '' ? {} : { thinking: this.thinking }),
      model: this.model ?? requested,
      doneReason: this.cutShort === undefined ? this.finishReason : 'cut-short',
      usage: this.usage,
      timing: { latencyMs: round(this.now() - this.started), firstTokenMs: this.firstTokenMs, ...this.serverTiming },
      ...(this.cutShort === undefined ? {} : { cutShort: this.cutShort }),
      ...(this.calls.length === 0 ? {} : { toolCalls: this.calls.filter(Boolean).map((call) => parseToolCall(call.name, call.arguments)) }),
    }
  }
}

interface StreamChunk {
  model?: unknown
  error?: unknown
  usage?: unknown
  timings?: unknown
  choices?: { delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: ToolCallPiece[] }; finish_reason?: unknown }[] | null
}

interface CompletionBody {
  model?: unknown
  error?: unknown
  usage?: unknown
  timings?: unknown
  choices?: { message?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: ToolCallPiece[] }; finish_reason?: unknown }[] | null
}

interface EmbeddingsBody {
  model?: unknown
  error?: unknown
  usage?: unknown
  data?: { index?: unknown; embedding?: unknown }[]
}

/** One tool call of an answer, or one piece of it in a stream. */
interface ToolCallPiece {
  index?: unknown
  function?: { name?: unknown; arguments?: unknown }
}

/** More tool calls than this in one answer is a broken server, not a model's plan. */
const MAX_TOOL_CALLS = 256

/** The call with its arguments parsed; arguments that are not a JSON object are kept as text and named. */
function parseToolCall(name: string, text: string): ToolCall {
  try {
    const parsed: unknown = JSON.parse(text === '' ? '{}' : text)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { name, arguments: parsed as Record<string, unknown> }
  } catch {
    // The model wrote arguments that are not JSON: the assertion says so.
  }
  return { name, arguments: {}, invalidArguments: text.slice(0, 500) }
}

/** The eval's options as request fields; Ollama's `num_predict` is the same as `max_tokens`. */
function requestOptions(options: Record<string, unknown> | undefined, label: string): Record<string, unknown> {
  if (options === undefined) return {}
  const fields: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(options)) {
    if (RESERVED.has(name)) {
      throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `options.${name} cannot be sent to ${label}: assay sets that field of the request itself.`, {
        fix: name === 'response_format' ? 'Use the eval\'s format field ("json" or a JSON schema) instead.' : `Remove ${name} from the eval's options.`,
        retryable: false,
      })
    }
    fields[name === 'num_predict' && !('max_tokens' in options) ? 'max_tokens' : name] = value
  }
  return fields
}

/**
 * assay's `think` as OpenAI's `reasoning_effort`: a level passes as it is. On and off have no
 * counterpart there (the model decides by default), so they are refused rather than dropped: a
 * setting that silently does nothing would still split the fixture key. The plan refuses them
 * first for evals that declare them; this catches a task that sets them per call.
 */
export function reasoningEffort(think: ThinkSetting | undefined, label: string): Record<string, unknown> {
  if (think === undefined) return {}
  if (typeof think === 'string') return { reasoning_effort: think }
  throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `think: ${think} cannot be sent to ${label}: OpenAI-compatible servers take a reasoning level, not on or off.`, {
    fix: "Write think: 'low', 'medium' or 'high' (sent as reasoning_effort), or leave think out for the model's default.",
    retryable: false,
  })
}

/** assay's `format` as `response_format`: "json" is JSON mode, an object a JSON schema. */
export function responseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format === 'json') return { type: 'json_object' }
  return { type: 'json_schema', json_schema: { name: 'answer', schema: format } }
}

/** `retry-after-ms` (OpenAI's, in milliseconds) first, then the standard `Retry-After`. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN)
  if (Number.isFinite(ms) && ms >= 0) return ms
  return parseRetryAfter(headers.get('retry-after') ?? undefined, now)
}

/** The message of the error shapes servers use: OpenAI's `{ error: { message, code } }`, vLLM's older flat one, `{ detail }`, or text. */
function errorMessage(text: string): { message: string; code: string | undefined } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { message: clip(text.trim()), code: undefined }
  }
  const body = parsed as { error?: unknown; message?: unknown; detail?: unknown; code?: unknown }
  const inner = typeof body?.error === 'object' && body.error !== null ? (body.error as { message?: unknown; code?: unknown }) : undefined
  const message = inner?.message ?? (typeof body?.error === 'string' ? body.error : undefined) ?? body?.message ?? body?.detail
  const code = inner?.code ?? body?.code
  return { message: clip(typeof message === 'string' ? message : text.trim()), code: typeof code === 'string' ? code : undefined }
}

/** An error sent inside a 200 stream (llama.cpp does this for a prompt over its context). */
function streamError(error: unknown, label: string, host: string): ProviderFailure {
  const { message, code } = errorMessage(JSON.stringify({ error }))
  const status = typeof (error as { code?: unknown })?.code === 'number' ? ((error as { code: number }).code) : undefined
  // A status-like code in 400..499 (but 429) is the request's fault: a retry would fail the same way.
  const retryable = status === undefined || status === 429 || status >= 500
  return new ProviderFailure('ASSAY_PROVIDER_FAILED', `${label} at ${host} sent an error in its answer: ${message}${code ? ` (${code})` : ''}`, { retryable, ...(status === undefined ? {} : { status }) })
}

function tooLarge(label: string, host: string, limit: number): ProviderFailure {
  return new ProviderFailure('ASSAY_PROVIDER_FAILED', `${label} at ${host} sent more than ${limit.toLocaleString('en')} bytes for one answer, so it was cut off.`, {
    fix: 'Limit the answer with options.max_tokens.',
    retryable: false,
  })
}

/** The body as text, at most `limit` bytes: beyond it, an error. */
async function readText(response: Response, limit: number, label: string, host: string): Promise<string> {
  const body = await readBounded(response, limit)
  if (body.over) throw tooLarge(label, host, limit)
  return body.text
}

function parseJson(text: string, label: string, host: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `${label} at ${host} sent a broken response: ${JSON.stringify(clip(text, 120))} is not JSON.`, { retryable: true })
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function clip(text: string, max = MAX_ERROR_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text
}
