export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** Ollama's `format`: "json", or a JSON schema the answer must follow. */
export type ResponseFormat = 'json' | Record<string, unknown>

/** A model call, as keyed by fixtures: everything that changes the answer, and nothing else. */
export interface ChatRequest {
  model: string
  messages: ChatMessage[]
  format?: ResponseFormat
  options?: Record<string, unknown>
}

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
}

/** A live model server. */
export interface Provider {
  /** The server's address, for messages and per-host limits. */
  readonly host: string
  chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatResponse>
}
