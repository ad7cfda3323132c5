import http, { Agent, type IncomingMessage, type RequestOptions } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { assayVersion } from '../version.js'
import { checkEmbeddings } from './embeddings.js'
import { ProviderFailure } from './failure.js'
import { AnswerBudget, DEFAULT_ANSWER_BYTES, MAX_ERROR_BODY_BYTES, maxLineBytes } from './limits.js'
import { excerpt, JsonLines } from './ndjson.js'
import type { CallOptions, ChatOptions, ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, Provider, ProviderCheck, ShowInfo } from './types.js'
import type { ToolCall } from './tools.js'

const NANOS_PER_MS = 1e6

/** /api/show and /api/version answer at once; a server that does not is treated as unknown (or, by the doctor, as down). */
const SHOW_TIMEOUT_MS = 10_000
/** /api/show without verbose is a few kilobytes; more is not metadata worth reading. */
const MAX_SHOW_BYTES = 1024 * 1024

/** Tenths of a millisecond: finer is noise, and fixtures stay readable. */
const round = (ms: number) => Math.round(ms * 10) / 10

/** One streamed line of `/api/chat`, as far as it is read. */
interface ChatChunk {
  model?: string
  message?: { content?: string; thinking?: string; tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[] }
  done?: boolean
  done_reason?: string
  error?: unknown
  prompt_eval_count?: number
  eval_count?: number
  total_duration?: number
  load_duration?: number
  prompt_eval_duration?: number
  eval_duration?: number
}

/**
 * Ollama's HTTP API over node:http, streaming so time to first token is measured. One keep-alive
 * agent per host: the calls of a run reuse their connections (a connection is handed back when
 * its answer has been read to the end, before the call returns, so the next call finds it free).
 * Node's fetch is not used: on Node 20 its first call costs about 50 ms of CPU (loading undici
 * and compiling its parser), and every streamed chunk goes through several web-stream layers.
 *
 * What the server sends is bounded: streamed lines are whole, at most `lineBytes` long and JSON;
 * an error body is read up to MAX_ERROR_BODY_BYTES; a JSON body is one bounded line.
 */
export class OllamaProvider implements Provider {
  private readonly base: URL
  private agent: Agent | HttpsAgent | undefined

  constructor(
    readonly host: string,
    private readonly now: () => number = performance.now.bind(performance),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.base = new URL(formatHost(host))
  }

  async chat(request: ChatRequest, { signal, stopWhen, maxAnswerBytes = DEFAULT_ANSWER_BYTES }: ChatOptions = {}): Promise<ChatResponse> {
    const started = this.now()
    const where = `Ollama at ${this.host}`
    const budget = new AnswerBudget(maxAnswerBytes, where)
    let cutShort: string | undefined
    let firstTokenMs: number | undefined
    let content = ''
    let thinking = ''
    const toolCalls: ToolCall[] = []
    let last: ChatChunk | undefined
    const body = {
      model: request.model,
      messages: request.messages,
      ...(request.format === undefined ? {} : { format: request.format }),
      ...(request.options === undefined ? {} : { options: request.options }),
      ...(request.think === undefined ? {} : { think: request.think }),
      ...(request.tools === undefined ? {} : { tools: request.tools }),
      stream: true,
    }
    /** Takes one line; true once the answer is complete (its `done` line) or stopped. */
    const take = (line: unknown): boolean => {
      const chunk = line as ChatChunk
      if (chunk.error !== undefined) throw new StreamError(String(chunk.error))
      const piece = chunk.message?.content ?? ''
      const thought = chunk.message?.thinking ?? ''
      if (firstTokenMs === undefined && (piece || thought)) firstTokenMs = round(this.now() - started)
      budget.add(piece)
      budget.add(thought)
      content += piece
      thinking += thought
      for (const call of chunk.message?.tool_calls ?? []) toolCalls.push(toolCallOf(call.function?.name, call.function?.arguments))
      last = chunk
      if (chunk.done) return true
      cutShort = piece ? stopWhen?.(content) : undefined
      return cutShort !== undefined
    }
    try {
      const response = await this.send('POST', '/api/chat', body, signal)
      const lines = new JsonLines(maxLineBytes(maxAnswerBytes), where)
      let complete = false
      try {
        // After the done line the body is still read to its end, so the connection goes back to the agent.
        for await (const chunk of response as AsyncIterable<Buffer>) {
          if (complete) continue
          for (const line of lines.push(chunk)) if ((complete = take(line))) break
          // A cut-short answer stops the generation: the connection is closed, as Ollama expects.
          if (cutShort !== undefined) break
        }
        if (!complete) for (const line of lines.end()) if ((complete = take(line))) break
      } catch (error) {
        response.destroy()
        throw error
      }
      if (!complete) throw new StreamError('Did not receive done or success response in stream.')
    } catch (error) {
      throw this.explain(error, request.model)
    }
    const millis = (nanos: number | undefined) => (typeof nanos === 'number' ? nanos / NANOS_PER_MS : undefined)
    const final = last as ChatChunk | undefined
    return {
      content,
      thinking: thinking === '' ? undefined : thinking,
      // The server's fields as the fixture schema reads them back: anything else is left out, so a
      // live answer is never recorded in a shape that replay then refuses, nor printed as it came.
      model: typeof final?.model === 'string' ? final.model : request.model,
      doneReason: cutShort !== undefined ? 'cut-short' : typeof final?.done_reason === 'string' ? final.done_reason : undefined,
      usage: { promptTokens: tokenCount(final?.prompt_eval_count), completionTokens: tokenCount(final?.eval_count) },
      timing: {
        latencyMs: round(this.now() - started),
        firstTokenMs,
        totalMs: millis(final?.total_duration),
        loadMs: millis(final?.load_duration),
        promptEvalMs: millis(final?.prompt_eval_duration),
        evalMs: millis(final?.eval_duration),
      },
      ...(cutShort === undefined ? {} : { cutShort }),
      ...(toolCalls.length === 0 ? {} : { toolCalls }),
    }
  }

  /** `/api/embed`: every text in one request. */
  async embed(request: EmbedRequest, { signal }: CallOptions = {}): Promise<EmbedResponse> {
    const started = this.now()
    let answer: { embeddings?: unknown; model?: unknown; prompt_eval_count?: unknown }
    try {
      answer = (await this.json(await this.send('POST', '/api/embed', { model: request.model, input: request.input }, signal), maxLineBytes(DEFAULT_ANSWER_BYTES))) as typeof answer
    } catch (error) {
      throw this.explain(error, request.model)
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
      const tags = (await this.json(await this.send('GET', '/api/tags', undefined, signal), maxLineBytes(DEFAULT_ANSWER_BYTES))) as { models?: { name?: unknown }[] }
      names = (Array.isArray(tags.models) ? tags.models : []).map((entry) => String(entry?.name))
    } catch (error) {
      const failure = this.explain(error, model)
      return { status: failure.code === 'ASSAY_PROVIDER_UNREACHABLE' ? 'unreachable' : 'failed', message: failure.message, fix: failure.fix }
    }
    // `llama3.2` is served as `llama3.2:latest`.
    if (names.includes(model) || (!model.includes(':') && names.includes(`${model}:latest`))) return { status: 'ok' }
    return { status: 'model-missing', message: `Model "${model}" is not available on ${this.host}.`, fix: `Run \`ollama pull ${model}\` on that server, or correct the model name.` }
  }

  /** `/api/version`, what `assay doctor` reports of each host; the body is bounded as /api/show's, the version cut to a readable length. */
  async version(): Promise<string> {
    const { version } = (await this.json(await this.send('GET', '/api/version', undefined, AbortSignal.timeout(SHOW_TIMEOUT_MS)), MAX_SHOW_BYTES)) as { version?: unknown }
    return excerpt(typeof version === 'string' ? version : String(version), 100)
  }

  /** `/api/show`, its body read up to MAX_SHOW_BYTES: a server's metadata is data like any answer. */
  async show(model: string): Promise<ShowInfo> {
    const response = await this.send('POST', '/api/show', { model }, AbortSignal.timeout(SHOW_TIMEOUT_MS))
    const { parameters, model_info } = (await this.json(response, MAX_SHOW_BYTES)) as { parameters?: unknown; model_info?: unknown }
    return { ...(typeof parameters === 'string' ? { parameters } : {}), ...(model_info && typeof model_info === 'object' ? { model_info: model_info as Record<string, unknown> } : {}) }
  }

  /**
   * One request; the response once its headers are in, when its status is 2xx. Any other status
   * is a StatusError carrying the start of the body's message and the Retry-After header. Errors
   * before the response are ConnectionErrors.
   */
  private async send(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const options: RequestOptions = {
      method,
      agent: await this.agentFor(),
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': `assay/${assayVersion} (node ${process.version})`,
        ...(payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) }),
        ...this.authorization(),
      },
      ...(signal ? { signal } : {}),
    }
    const url = new URL(`${this.base.pathname.replace(/\/$/, '')}${path}`, this.base)
    const request = this.base.protocol === 'https:' ? (await import('node:https')).default.request : http.request
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = request(url, options, resolve)
      // Errors after the response has begun reach its body; the listener stays so none goes unhandled.
      outgoing.on('error', (error) => reject(error.name === 'AbortError' ? error : new ConnectionError(error)))
      outgoing.end(payload)
    })
    const status = response.statusCode ?? 0
    if (status >= 200 && status < 300) return response
    const retryAfter = response.headers['retry-after']
    const text = (await readText(response, MAX_ERROR_BODY_BYTES)).trim()
    throw new StatusError(status, errorMessage(text) || `HTTP ${status} ${response.statusMessage ?? ''}`.trim(), Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
  }

  /** A JSON body: one line of at most `limit` bytes. */
  private async json(response: IncomingMessage, limit: number): Promise<unknown> {
    const lines = new JsonLines(limit, `Ollama at ${this.host}`)
    const parsed: unknown[] = []
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) parsed.push(...lines.push(chunk))
      parsed.push(...lines.end())
    } catch (error) {
      response.destroy()
      throw error
    }
    if (parsed.length === 0) throw new StreamError('The body was empty.')
    return parsed[parsed.length - 1]
  }

  /** The keep-alive agent of this host, made on first use (node:https only for an https host). */
  private async agentFor(): Promise<Agent | HttpsAgent> {
    if (this.agent) return this.agent
    const agent = this.base.protocol === 'https:' ? new (await import('node:https')).Agent({ keepAlive: true }) : new Agent({ keepAlive: true })
    return (this.agent ??= agent)
  }

  /** Ollama's cloud (https://ollama.com) takes OLLAMA_API_KEY as a bearer token, as the official client sends it. */
  private authorization(): Record<string, string> {
    const key = this.env.OLLAMA_API_KEY
    return this.base.protocol === 'https:' && this.base.hostname === 'ollama.com' && key ? { authorization: `Bearer ${key}` } : {}
  }

  private explain(error: unknown, model: string): ProviderFailure {
    if (error instanceof ProviderFailure) return error
    if (error instanceof StatusError) {
      const { status, message } = error
      if (status === 404 && /not found/i.test(message)) {
        return new ProviderFailure('ASSAY_PROVIDER_MODEL_NOT_FOUND', `Model "${model}" is not available on ${this.host}: ${message}.`, {
          fix: `Run \`ollama pull ${model}\` on that server, or correct the model name.`,
          retryable: false,
          cause: error,
        })
      }
      // 429 and 5xx are the server's trouble and pass; any other 4xx is the request's and stays.
      const retryable = status === 429 || status >= 500
      return new ProviderFailure('ASSAY_PROVIDER_FAILED', `Ollama at ${this.host} failed with HTTP ${status}: ${message}`, {
        retryable,
        status,
        retryAfterMs: parseRetryAfter(error.retryAfter),
        cause: error,
      })
    }
    if (error instanceof ConnectionError) {
      return new ProviderFailure('ASSAY_PROVIDER_UNREACHABLE', `Cannot reach Ollama at ${this.host} (${error.reason}).`, {
        fix: 'Start it with `ollama serve`, point OLLAMA_HOST or ollama.host in assay.config.ts at it, or run from fixtures with --record replay.',
        retryable: true,
        cause: error,
      })
    }
    // A stream that ended without its final chunk, a line that is not JSON, a reset connection.
    const message = error instanceof Error ? error.message : String(error)
    return new ProviderFailure('ASSAY_PROVIDER_FAILED', `Ollama at ${this.host} sent a broken response: ${message}`, { retryable: true, cause: error })
  }
}

/** A status other than 2xx, with the message of its body. */
class StatusError extends Error {
  override readonly name = 'StatusError'
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter: string | undefined,
  ) {
    super(message)
  }
}

/** No response at all: refused, reset before the headers, a name that does not resolve. */
class ConnectionError extends Error {
  override readonly name = 'ConnectionError'
  readonly reason: string
  constructor(cause: Error & { code?: string }) {
    super(cause.message, { cause })
    this.reason = cause.code ?? cause.message
  }
}

/** The body said something Ollama's protocol does not allow: an error line, no final chunk. */
class StreamError extends Error {
  override readonly name = 'StreamError'
}

/** A call as the server sent it: arguments that are not an object are kept as text and named. */
function toolCallOf(name: unknown, args: unknown): ToolCall {
  const call = { name: typeof name === 'string' ? name : String(name) }
  if (typeof args === 'object' && args !== null && !Array.isArray(args)) return { ...call, arguments: args as Record<string, unknown> }
  return { ...call, arguments: {}, invalidArguments: (JSON.stringify(args) ?? String(args)).slice(0, 500) }
}

/**
 * At most `limit` bytes of a body as text; the rest is left unread (and the connection closed). A
 * body that breaks off keeps what arrived: an error body's start is still the best message there is.
 */
async function readText(response: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let bytes = 0
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      const room = limit - bytes
      chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk)
      bytes += Math.min(chunk.byteLength, room)
      if (chunk.byteLength > room) break
    }
  } catch {
    // What arrived before the break.
  }
  if (!response.complete) response.destroy()
  return decodeWhole(Buffer.concat(chunks, bytes))
}

/** UTF-8 text of bytes that may end inside a character: the partial character is dropped. */
function decodeWhole(bytes: Buffer): string {
  return new TextDecoder().decode(bytes, { stream: true })
}

/**
 * The message of an error body: Ollama's `{"error": ...}` when it is that, else the text; cut to a
 * readable length either way.
 */
function errorMessage(text: string): string {
  let message = text
  try {
    const parsed = JSON.parse(message) as { error?: unknown }
    if (typeof parsed.error === 'string') message = parsed.error
  } catch {
    // Not JSON, or JSON cut off at the byte limit: the text, less the start of an `{"error": "` wrapper.
    message = message.replace(/^\{\s*"error"\s*:\s*"/, '')
  }
  return excerpt(message, 2000)
}

/**
 * The host as the official client reads it: `host:port` and `:port` mean http, a missing port is
 * Ollama's 11434 (80 or 443 with an explicit protocol), and a trailing slash is dropped.
 */
export function formatHost(host: string): string {
  let explicit = host.includes('://')
  if (host.startsWith(':')) {
    host = `http://127.0.0.1${host}`
    explicit = true
  }
  const url = new URL(explicit ? host : `http://${host}`)
  const port = url.port || (explicit ? (url.protocol === 'https:' ? '443' : '80') : '11434')
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : ''
  return `${url.protocol}//${auth}${url.hostname}:${port}${url.pathname}`.replace(/\/$/, '')
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** A token count from the server: a whole number, or nothing. */
function tokenCount(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined
}
