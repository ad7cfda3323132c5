import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onCleanup } from './cleanup.js'
import { embed } from './embeddings.js'
import { countWords, readBody, sendJson } from './http.js'

/** A chat completion request the loopback server received, parsed. */
export interface ReceivedCompletion {
  model: string
  messages: { role: string; content: string }[]
  stream: boolean
  body: Record<string, unknown>
  authorization: string | undefined
  headers: Record<string, string | string[] | undefined>
}

/**
 * What the server does with a request: answer with text, fail with a status (and headers such as
 * `retry-after-ms`), send an error inside a 200 stream, or cut the stream after some text.
 */
export type Completion =
  | string
  | { toolCalls: { name: string; arguments: Record<string, unknown> | string }[]; content?: string }
  | { status: number; error: string; headers?: Record<string, string> }
  | { streamError: string }
  | { cutAfter: string }

export interface FakeOpenAIOptions {
  /** Models the server lists and serves; any other gets a 404. @default ['qwen2.5-7b-instruct'] */
  models?: string[]
  /** The Bearer token the server wants; a request without it gets a 401 that echoes what it sent. */
  apiKey?: string
  respond?: (request: ReceivedCompletion) => Completion
  /** Send the usage chunk when `stream_options.include_usage` asks for it. @default true */
  usage?: boolean
  /** Delay before the answer, in ms. @default 0 */
  delayMs?: number
  /** Split the SSE answer into this many bytes per write, to test parsing across chunk edges. @default whole events */
  writeBytes?: number
}

export interface FakeOpenAI {
  /** The base URL, ending in /v1. */
  baseURL: string
  requests: ReceivedCompletion[]
  /** The inputs of each `/v1/embeddings` request. */
  embeddings: string[][]
  /** Every HTTP request, refused ones included. */
  readonly received: number
  /** The most completions being answered at one moment. */
  readonly maxInFlight: number
  close(): Promise<void>
}

/**
 * An OpenAI-compatible server on 127.0.0.1 for tests (as vLLM, llama.cpp's server or LM Studio
 * answer): `/v1/chat/completions` as server-sent events or one JSON body, the usage chunk of
 * `stream_options.include_usage`, `/v1/models`, Bearer keys, OpenAI's error shape.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const models = options.models ?? ['qwen2.5-7b-instruct']
  const respond = options.respond ?? ((request) => `echo: ${request.messages.at(-1)?.content ?? ''}`)
  const requests: ReceivedCompletion[] = []
  const embeddings: string[][] = []
  let received = 0
  let inFlight = 0
  let maxInFlight = 0
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: { message: String(error), type: 'server_error' } }))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    received++
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const authorization = req.headers.authorization
    if (options.apiKey !== undefined && authorization !== `Bearer ${options.apiKey}`) {
      // As OpenAI does, the refusal quotes the key it was given: a test that it never lands in a file.
      const sent = authorization?.replace(/^Bearer /, '') ?? ''
      return sendJson(res, 401, { error: { message: `Incorrect API key provided: ${sent}.`, type: 'invalid_request_error', code: 'invalid_api_key' } })
    }
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_764_000_000, owned_by: 'assay-tests' })) })
    }
    if (req.method === 'POST' && url.pathname === '/v1/embeddings') {
      const body = JSON.parse(await readBody(req)) as { model?: unknown; input?: unknown }
      if (!models.includes(String(body.model))) return sendJson(res, 404, { error: { message: `The model \`${String(body.model)}\` does not exist.`, type: 'invalid_request_error', code: 'model_not_found' } })
      const input = ([] as string[]).concat(body.input as string | string[])
      embeddings.push(input)
      const tokens = input.reduce((sum, text) => sum + countWords(text), 0)
      // Listed in reverse, as the protocol allows: clients must put them in order by index.
      const data = input.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) })).reverse()
      return sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } })
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') return sendJson(res, 404, { error: { message: `Not found: ${url.pathname}`, type: 'invalid_request_error' } })
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>
    const request: ReceivedCompletion = {
      model: String(body.model ?? ''),
      messages: (body.messages as ReceivedCompletion['messages'] | undefined) ?? [],
      stream: body.stream === true,
      body,
      authorization,
      headers: req.headers,
    }
    requests.push(request)
    maxInFlight = Math.max(maxInFlight, ++inFlight)
    res.on('close', () => inFlight--)
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
    if (!models.includes(request.model)) {
      return sendJson(res, 404, { error: { message: `The model \`${request.model}\` does not exist.`, type: 'invalid_request_error', code: 'model_not_found' } })
    }
    const answer = respond(request)
    if (typeof answer === 'object' && 'status' in answer) return sendJson(res, answer.status, { error: { message: answer.error, type: 'server_error' } }, answer.headers)
    const text = typeof answer === 'string' ? answer : 'cutAfter' in answer ? answer.cutAfter : 'toolCalls' in answer ? (answer.content ?? '') : ''
    // The protocol's tool calls: arguments as JSON text (a string given here is sent as it is).
    const toolCalls = typeof answer === 'object' && 'toolCalls' in answer ? answer.toolCalls.map((call, index) => ({ index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) } })) : undefined
    const promptTokens = countWords(request.messages.map((message) => message.content).join('\n'))
    const usage = { prompt_tokens: promptTokens, completion_tokens: countWords(text), total_tokens: promptTokens + countWords(text) }
    const base = { id: 'chatcmpl-test', created: 1_764_000_000, model: request.model }
    if (!request.stream) {
      return sendJson(res, 200, { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text, ...(toolCalls ? { tool_calls: toolCalls.map(({ index: _, ...call }) => call) } : {}) }, finish_reason: toolCalls ? 'tool_calls' : 'stop' }], usage })
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
    const events: string[] = []
    const event = (data: unknown) => events.push(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => event({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })
    chunk({ role: 'assistant', content: '' })
    for (const piece of text.match(/\S+\s*|\s+/g) ?? []) chunk({ content: piece })
    // Each call's name first, then its arguments in pieces, as OpenAI streams them.
    for (const call of toolCalls ?? []) {
      chunk({ tool_calls: [{ index: call.index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] })
      for (const part of call.function.arguments.match(/.{1,8}/gs) ?? []) chunk({ tool_calls: [{ index: call.index, function: { arguments: part } }] })
    }
    if (typeof answer === 'object' && 'cutAfter' in answer) return write(res, events, options.writeBytes, true)
    if (typeof answer === 'object' && 'streamError' in answer) {
      event({ error: { message: answer.streamError, type: 'server_error', code: 500 } })
      return write(res, events, options.writeBytes, false)
    }
    chunk({}, toolCalls ? 'tool_calls' : 'stop')
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined
    if (streamOptions?.include_usage && options.usage !== false) event({ ...base, object: 'chat.completion.chunk', choices: [], usage })
    event('[DONE]')
    return write(res, events, options.writeBytes, false)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let closed: Promise<void> | undefined
  const close = () =>
    (closed ??= new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close((error) => (error ? reject(error) : resolve()))
    }))
  onCleanup(close)
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddings,
    get received() {
      return received
    },
    get maxInFlight() {
      return maxInFlight
    },
    close,
  }
}

/** Writes the events, in pieces of `size` bytes when given; `cut` destroys the socket instead of ending the body. */
async function write(res: ServerResponse, events: string[], size: number | undefined, cut: boolean): Promise<void> {
  const bytes = Buffer.from(events.join(''))
  const step = size ?? bytes.length
  for (let offset = 0; offset < bytes.length; offset += step) {
    res.write(bytes.subarray(offset, offset + step))
    if (size !== undefined) await new Promise((resolve) => setImmediate(resolve))
  }
  if (cut) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    res.destroy()
  } else res.end()
}
