import type { ChatMessage, ShowInfo } from './types.js'

/** A rough token count: about four characters a token for English text. Always labelled an estimate. */
export const CHARS_PER_TOKEN = 4

/**
 * A counted prompt below this share of the estimate was most likely cut by the server. Four
 * characters a token overestimates English a little (real text runs about 4.2), so an honest
 * count sits near 1; Ollama drops the start of a prompt that does not fit, leaving at most num_ctx.
 */
export const TRUNCATION_RATIO = 0.5

/**
 * Shorter prompts are never flagged: they fit Ollama's smallest default window (2048) with room
 * to spare, and a short prompt's count is dominated by the chat template's own tokens.
 */
export const TRUNCATION_MIN_TOKENS = 1024

/** The estimated prompt tokens of a chat request's messages. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  const characters = messages.reduce((sum, message) => sum + message.content.length, 0)
  return Math.ceil(characters / CHARS_PER_TOKEN)
}

/** `options.num_ctx` when the eval sets a usable one. */
export function numCtxOption(options: Record<string, unknown> | undefined): number | undefined {
  const value = options?.num_ctx
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined
}

/** Tokens the answer may take (`options.num_predict`); 0 when unbounded or unset, as nothing is reserved then. */
export function numPredictOption(options: Record<string, unknown> | undefined): number {
  const value = options?.num_predict
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0
}

/**
 * The context window `/api/show` reports: the Modelfile's `num_ctx` parameter (what Ollama uses
 * for the model unless a request says otherwise), else the model's trained `<arch>.context_length`.
 */
export function contextLengthFromShow(show: ShowInfo): { tokens: number; source: string } | undefined {
  const parameter = /^num_ctx\s+(\d+)\s*$/m.exec(show.parameters ?? '')?.[1]
  if (parameter !== undefined && Number(parameter) > 0) return { tokens: Number(parameter), source: 'the Modelfile num_ctx of /api/show' }
  const info = show.model_info instanceof Map ? Object.fromEntries(show.model_info) : (show.model_info ?? {})
  for (const [key, value] of Object.entries(info)) {
    if (key.endsWith('.context_length') && typeof value === 'number' && value > 0) return { tokens: value, source: `${key} of /api/show` }
  }
  return undefined
}

/** The context window a request runs in, and where that figure came from. */
export interface ContextLimit {
  tokens: number
  source: string
}

/**
 * Context windows of the models a run uses: `options.num_ctx` when the request sets it, else what
 * `/api/show` says, asked once per model per run. A failed lookup counts as unknown (the call
 * itself reports an unreachable server); replay passes no lookup, so it never calls a server.
 */
export class ContextWindows {
  private readonly shown = new Map<string, Promise<ContextLimit | undefined>>()

  constructor(private readonly show?: (model: string, provider: string | undefined) => Promise<ShowInfo>) {}

  /** The limit a request sets itself (`options.num_ctx`), with no server asked: for replayed answers. */
  fromOptions(options: Record<string, unknown> | undefined): ContextLimit | undefined {
    const numCtx = numCtxOption(options)
    return numCtx === undefined ? undefined : { tokens: numCtx, source: 'options.num_ctx' }
  }

  /** The limit for a live request to `provider` (undefined for the ollama settings): its own, else the server's. */
  async limit(model: string, options: Record<string, unknown> | undefined, provider?: string): Promise<ContextLimit | undefined> {
    const own = this.fromOptions(options)
    if (own || !this.show) return own
    const key = `${provider ?? ''}\u0000${model}`
    let known = this.shown.get(key)
    if (!known) {
      known = this.show(model, provider).then(contextLengthFromShow, () => undefined)
      this.shown.set(key, known)
    }
    return known
  }
}

/** A prompt (plus the answer's reserve) that does not fit its context window. */
export interface ContextOverflow {
  promptTokens: number
  /** True when the count is a previous answer's prompt_eval_count, not the estimate. */
  exact: boolean
  numPredict: number
  limit: ContextLimit
}

/** Whether a prompt of `promptTokens` plus `num_predict` goes past the limit. */
export function overflow(promptTokens: number, exact: boolean, options: Record<string, unknown> | undefined, limit: ContextLimit | undefined): ContextOverflow | undefined {
  if (!limit) return undefined
  const numPredict = numPredictOption(options)
  return promptTokens + numPredict > limit.tokens ? { promptTokens, exact, numPredict, limit } : undefined
}

/** The smallest power of two that holds `tokens`, at least 2048: a num_ctx to suggest. */
export function suggestedNumCtx(tokens: number): number {
  let size = 2048
  while (size < tokens) size *= 2
  return size
}

/** One sentence for a result: the counted prompt is well under the estimate, so the server likely cut it. */
export function truncationNote(estimated: number, counted: number | undefined): string | undefined {
  if (counted === undefined || counted <= 0 || estimated < TRUNCATION_MIN_TOKENS || counted >= estimated * TRUNCATION_RATIO) return undefined
  return `the server counted ${counted} prompt tokens against ~${estimated} estimated: the prompt was likely truncated to fit the context window (set options.num_ctx)`
}
