import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onCleanup } from './cleanup.js'
import { embed } from './embeddings.js'
import { countWords, readBody, sendJson } from './http.js'

/** A request the loopback server received, parsed. */
export interface ReceivedRequest {
  endpoint: 'chat' | 'generate' | 'embed'
  model: string
  messages: { role: string; content: string }[]
  prompt: string | undefined
  format: unknown
  options: Record<string, unknown> | undefined
  stream: boolean
  /** Ollama's `think`, as sent. */
  think: unknown
  /** The tools a chat request offered. */
  tools: { type: string; function: { name: string; parameters: Record<string, unknown> } }[] | undefined
  /** The texts an embed request sent. */
  input: string[] | undefined
}

/**
 * What the server sends back: an answer (streamed a word at a time), tool calls (with any text
 * beside them), an `{ "error" }` body with a status, or a hostile stream: `endless` sends 1 KB
 * chunks until the client hangs up, `hugeLine` sends one NDJSON line of that many bytes before its
 * newline, `raw` sends the text as the body.
 */
export type Answer =
  | string
  | { error: string; status: number }
  | { toolCalls: { name: string; arguments: Record<string, unknown> }[]; content?: string }
  | { endless: true }
  | { hugeLine: number }
  | { raw: string }

export interface FakeOllamaOptions {
  /** Models the server has; any other gets Ollama's 404. @default ['llama3.2'] */
  models?: string[]
  /** The answer to a request; default: `echo: <last user message>`. */
  respond?: (request: ReceivedRequest) => Answer
  /** The port to listen on (to restart a server where it was). @default any free port */
  port?: number
  /** Delay before the first byte, in ms, fixed or per request. @default 0 */
  delayMs?: number | ((request: ReceivedRequest) => number)
  /**
   * What `/api/show` reports: the model's trained context length, and a Modelfile num_ctx.
   * `answerWhen` holds its answer until the promise settles (a slow server). @default { contextLength: 131072 }
   */
  show?: { contextLength?: number; numCtx?: number; answerWhen?: () => Promise<unknown> }
  /** A thinking model's reasoning, streamed as `message.thinking` before the answer (chat only); default none. */
  thinking?: (request: ReceivedRequest) => string | undefined
  /** The final chunk's prompt_eval_count; default: the prompt's word count. */
  promptEvalCount?: (request: ReceivedRequest) => number
}

export interface FakeOllama {
  host: string
  requests: ReceivedRequest[]
  /** Models asked about through `/api/show`, in order. */
  shown: string[]
  /** The most generate/chat requests that were being answered at one moment. */
  readonly maxInFlight: number
  /** TCP connections opened to the server so far. */
  readonly connections: number
  /** Generate/chat/embed requests whose client hung up before their answer was sent whole. */
  readonly hangUps: number
  /** In order: `show answered`, `chat received` and `chat hung up`, one entry each time. */
  timeline: string[]
  close(): Promise<void>
}

const VERSION = '0.12.6'

/**
 * Settles once `ready()` holds (polled every 5 ms), or after `fallbackMs`: a slow `/api/show`'s
 * `answerWhen`, where the fallback is when a client that waits for the window would get it.
 */
export function settlesWhen(ready: () => boolean, fallbackMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearInterval(poll)
      clearTimeout(timer)
      resolve()
    }
    const poll = setInterval(() => ready() && done(), 5)
    const timer = setTimeout(done, fallbackMs)
  })
}

/**
 * An Ollama-compatible server on 127.0.0.1 for tests: `/api/chat` (with tool calls),
 * `/api/generate` (NDJSON streaming or one JSON body), `/api/embed` (deterministic embeddings), `/api/tags`,
 * `/api/version`, `/api/show`, the final chunk's metrics fields, and
 * `{ "error": "..." }` bodies, with deterministic answers.
 */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const models = options.models ?? ['llama3.2']
  const respond = options.respond ?? defaultAnswer
  const requests: ReceivedRequest[] = []
  const shown: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  let connections = 0
  let hangUps = 0
  const timeline: string[] = []
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: String(error) }))
  })
  server.on('connection', () => connections++)

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method === 'GET' && url.pathname === '/api/version') return sendJson(res, 200, { version: VERSION })
    if (req.method === 'GET' && url.pathname === '/api/tags') {
      return sendJson(res, 200, {
        models: models.map((name) => ({
          name: name.includes(':') ? name : `${name}:latest`,
          model: name.includes(':') ? name : `${name}:latest`,
          modified_at: '2026-11-01T00:00:00Z',
          size: 2_019_393_189,
          digest: 'a80c4f17acd5'.padEnd(64, '0'),
          details: { format: 'gguf', family: 'llama', parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
        })),
      })
    }
    if (req.method === 'POST' && url.pathname === '/api/show') {
      const model = String((JSON.parse(await readBody(req)) as { model?: unknown }).model ?? '')
      shown.push(model)
      const { contextLength = 131_072, numCtx, answerWhen } = options.show ?? {}
      await answerWhen?.()
      timeline.push('show answered')
      if (!models.some((name) => name === model || `${name}:latest` === model)) return sendJson(res, 404, { error: `model '${model}' not found` })
      return sendJson(res, 200, {
        modelfile: `FROM ${model}`,
        parameters: [numCtx === undefined ? '' : `num_ctx                        ${numCtx}`, 'stop                           "<|eot_id|>"'].filter(Boolean).join('\n'),
        template: '{{ .Prompt }}',
        details: { format: 'gguf', family: 'llama', parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
        model_info: { 'general.architecture': 'llama', 'llama.context_length': contextLength, 'llama.embedding_length': 3072 },
        capabilities: ['completion'],
        modified_at: '2026-11-01T00:00:00Z',
      })
    }
    if (req.method !== 'POST' || (url.pathname !== '/api/chat' && url.pathname !== '/api/generate' && url.pathname !== '/api/embed')) {
      return sendJson(res, 404, { error: `404 page not found` })
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>
    const endpoint = url.pathname === '/api/chat' ? 'chat' : url.pathname === '/api/embed' ? 'embed' : 'generate'
    const request: ReceivedRequest = {
      endpoint,
      model: String(body.model ?? ''),
      messages: (body.messages as ReceivedRequest['messages'] | undefined) ?? [],
      prompt: body.prompt as string | undefined,
      format: body.format,
      options: body.options as Record<string, unknown> | undefined,
      stream: body.stream !== false,
      think: body.think,
      tools: body.tools as ReceivedRequest['tools'],
      input: body.input === undefined ? undefined : ([] as string[]).concat(body.input as string | string[]),
    }
    requests.push(request)
    timeline.push(`${endpoint} received`)
    maxInFlight = Math.max(maxInFlight, ++inFlight)
    let hungUp = false
    res.on('close', () => {
      inFlight--
      if (res.writableFinished) return
      hungUp = true
      hangUps++
      timeline.push(`${endpoint} hung up`)
    })
    const delay = typeof options.delayMs === 'function' ? options.delayMs(request) : (options.delayMs ?? 0)
    if (delay > 0) {
      // A client that hangs up ends the wait: there is no one left to answer.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay)
        res.once('close', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    if (hungUp) return
    if (!models.some((name) => name === request.model || `${name}:latest` === request.model)) {
      return sendJson(res, 404, { error: `model "${request.model}" not found, try pulling it first` })
    }
    if (endpoint === 'embed') {
      // Deterministic embeddings (see embeddings.ts): paraphrases close, unrelated texts far.
      const input = request.input ?? []
      return sendJson(res, 200, { model: request.model, embeddings: input.map(embed), total_duration: 14_000_000, load_duration: 1_000_000, prompt_eval_count: input.reduce((sum, text) => sum + countWords(text), 0) })
    }
    const given = respond(request)
    if (typeof given !== 'string' && !('toolCalls' in given)) {
      if ('error' in given) return sendJson(res, given.status, { error: given.error })
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      if ('raw' in given) return void res.end(given.raw)
      if ('endless' in given) {
        const chunk = `${JSON.stringify({ model: request.model, created_at: '2026-11-24T12:00:00.000Z', message: { role: 'assistant', content: 'x'.repeat(1024) }, done: false })}\n`
        while (!res.destroyed) if (!res.write(chunk)) await drained(res)
        return
      }
      const head = `{"model":${JSON.stringify(request.model)},"message":{"role":"assistant","content":"`
      const piece = 'y'.repeat(64 * 1024)
      res.write(head)
      for (let sent = head.length; sent < given.hugeLine && !res.destroyed; sent += piece.length) if (!res.write(piece)) await drained(res)
      return void res.end('"},"done":true}\n')
    }
    const answer = typeof given === 'string' ? given : (given.content ?? '')
    const toolCalls = typeof given === 'string' ? undefined : given.toolCalls.map((call) => ({ function: { name: call.name, arguments: call.arguments } }))
    const promptText = request.prompt ?? request.messages.map((m) => m.content).join('\n')
    const metrics = {
      done: true,
      done_reason: 'stop',
      total_duration: 1_250_000_000,
      load_duration: 50_000_000,
      prompt_eval_count: options.promptEvalCount ? options.promptEvalCount(request) : countWords(promptText),
      prompt_eval_duration: 200_000_000,
      eval_count: countWords(answer),
      eval_duration: 1_000_000_000,
    }
    const created_at = '2026-11-24T12:00:00.000Z'
    const piece = (text: string, calls: typeof toolCalls | null = toolCalls) => (endpoint === 'chat' ? { message: { role: 'assistant', content: text, ...(calls ? { tool_calls: calls } : {}) } } : { response: text })
    if (!request.stream) return sendJson(res, 200, { model: request.model, created_at, ...piece(answer), ...metrics })
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    const thinking = endpoint === 'chat' ? options.thinking?.(request) : undefined
    for (const chunk of thinking?.match(/\S+\s*|\s+/g) ?? []) {
      res.write(`${JSON.stringify({ model: request.model, created_at, message: { role: 'assistant', content: '', thinking: chunk }, done: false })}\n`)
    }
    // As Ollama streams them: the tool calls in a chunk of their own, before the text (if any).
    if (toolCalls) res.write(`${JSON.stringify({ model: request.model, created_at, ...piece(''), done: false })}\n`)
    for (const chunk of answer.match(/\S+\s*|\s+/g) ?? []) {
      res.write(`${JSON.stringify({ model: request.model, created_at, ...piece(chunk, null), done: false })}\n`)
    }
    res.end(`${JSON.stringify({ model: request.model, created_at, ...piece('', null), ...metrics })}\n`)
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let closed: Promise<void> | undefined
  // Idempotent: a test may close the server itself, and the cleanup after it does so again.
  const close = () =>
    (closed ??= new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close((error) => (error ? reject(error) : resolve()))
    }))
  onCleanup(close)
  return {
    host: `http://127.0.0.1:${port}`,
    requests,
    shown,
    get maxInFlight() {
      return maxInFlight
    },
    get connections() {
      return connections
    },
    get hangUps() {
      return hangUps
    },
    timeline,
    close,
  }
}

export function defaultAnswer(request: ReceivedRequest): Answer {
  const last = request.prompt ?? request.messages.at(-1)?.content ?? ''
  return `echo: ${last}`
}

/** Waits until the socket takes more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}
