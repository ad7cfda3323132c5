import type { ToolCall, ToolDefinition } from './tools.js'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** Ollama's `format`: "json", or a JSON schema the answer must follow. */
export type ResponseFormat = 'json' | Record<string, unknown>

/** A model call, as keyed by fixtures: everything that changes the answer, and nothing else. */
export interface ChatRequest {
  /**
   * The configured provider the call goes to (`providers.<name>` in the config); undefined for
   * the default Ollama settings. Part of the fixture key only when set, so keys of calls to the
   * default Ollama never change.
   */
  provider?: string
  model: string
  messages: ChatMessage[]
  format?: ResponseFormat
  options?: Record<string, unknown>
  /**
   * A thinking model's reasoning (Ollama's `think`): on, off or a level. Part of the fixture key
   * only when set, so keys of other calls never change.
   */
  think?: ThinkSetting
  /** Functions the model may call instead of, or besides, answering in text. */
  tools?: ToolDefinition[]
}

/** `true` or `false`, or a level for models that take one. */
export type ThinkSetting = boolean | 'low' | 'medium' | 'high'

export interface ChatUsage {
  promptTokens?: number
  completionTokens?: number
}

/** Figures in milliseconds; the server's own where it reports them. */
export interface ChatTiming {
  /** Wall time from request to the last byte, as the client saw it. */
  latencyMs: number
  /** Wall time to the first streamed token, when streaming. */
  firstTokenMs?: number
  totalMs?: number
  loadMs?: number
  promptEvalMs?: number
  evalMs?: number
}

export interface ChatResponse {
  content: string
  /** A thinking model's reasoning, kept apart from the answer. */
  thinking?: string
  model: string
  doneReason?: string
  usage: ChatUsage
  timing: ChatTiming
  /** Why the answer was stopped before the model finished it, when it was. */
  cutShort?: string
  /** The tools the model called, when the request offered tools and it called any. */
  toolCalls?: ToolCall[]
  /** Tries that failed before this answer (HostPool); not recorded in fixtures. */
  retries?: number
}

/** What every kind of call takes. */
export interface CallOptions {
  signal?: AbortSignal
  /** Once aborted, a call still waiting for a free slot does not start (Ctrl-C). */
  noNewCalls?: AbortSignal
}

export interface ChatOptions extends CallOptions {
  /**
   * Called with the answer so far as it streams; a returned reason stops the generation there
   * (the answer can no longer pass, so the rest would be wasted tokens).
   */
  stopWhen?: (partial: string) => string | undefined
  /** The answer (with its thinking) is stopped, as an error, past this many UTF-8 bytes. @default DEFAULT_ANSWER_BYTES */
  maxAnswerBytes?: number
}

/** An embedding call, as keyed by fixtures: the texts in one request, in order. */
export interface EmbedRequest {
  /** As for chat: a provider named in the config; undefined for the `ollama` settings. */
  provider?: string
  model: string
  input: string[]
}

export interface EmbedResponse {
  /** One vector per input text, in the same order. */
  embeddings: number[][]
  model: string
  usage: { promptTokens?: number }
  timing: { latencyMs: number }
  /** Tries that failed before this answer (HostPool); not recorded in fixtures. */
  retries?: number
}

/** What `check` found: the server answers and has the model, or why not. */
export type ProviderCheck =
  | { status: 'ok' }
  | { status: 'unreachable' | 'unauthorized' | 'model-missing' | 'failed'; message: string; fix: string | undefined }

/**
 * A live model server. Further kinds of call (embeddings, tool calls) are added as optional
 * methods and optional request fields, so a provider that lacks one says so instead of every
 * provider growing at once.
 */
export interface Provider {
  /** The server's address, for messages and per-host limits. */
  readonly host: string
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResponse>
  /** Embeddings of several texts in one request, where the server can compute them. */
  embed?(request: EmbedRequest, options?: CallOptions): Promise<EmbedResponse>
  /** Whether the server answers and serves `model`; one cheap request, no generation. */
  check(model: string, options?: { signal?: AbortSignal }): Promise<ProviderCheck>
  /** What the server says about a model (`/api/show`), for its context window; optional. */
  show?(model: string): Promise<ShowInfo>
}

/** What `/api/show` says about a model, as far as the context window goes. */
export interface ShowInfo {
  parameters?: string
  model_info?: Record<string, unknown> | Map<string, unknown>
}
