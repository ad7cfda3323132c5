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
  /** What each lookup found, once it has answered. */
  private readonly answered = new Map<string, ContextLimit | undefined>()

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
      void known.then((limit) => this.answered.set(key, limit))
    }
    return known
  }

  /**
   * The limit when it is known without waiting (`options.num_ctx`, no lookup, or `/api/show` has
   * answered), as `{ limit }`; undefined while the lookup is still out (started here if need be).
   */
  known(model: string, options: Record<string, unknown> | undefined, provider?: string): { limit: ContextLimit | undefined } | undefined {
    const own = this.fromOptions(options)
    if (own || !this.show) return { limit: own }
    const key = `${provider ?? ''}\u0000${model}`
    if (this.answered.has(key)) return { limit: this.answered.get(key) }
    // A lookup that throws at once (an unknown provider) fails the call that waits on it.
    this.limit(model, options, provider).catch(() => undefined)
    return undefined
  }
}

/**
 * Whether a call may be sent before its model's window is known, to be cancelled should the window
 * show it overflows (docs/writing-evals.md, "Context windows"). Ollama stops a generation when its
 * client hangs up, so such a call costs a local server no more than the prompt it had read. Not
 * Ollama's cloud, which counts every request it is sent against the account's usage, answered or
 * not: `https://ollama.com` itself (`hosts` as the pool names them, comma-separated), and the
 * cloud models a local Ollama passes on to it (tags `cloud` or ending in `-cloud`).
 */
export function sendsBeforeWindow(hosts: string, model: string): boolean {
  if (/:(?:.*-)?cloud$/i.test(model)) return false
  return !hosts.split(',').some((host) => /^\s*https:\/\/(?:[^@/]*@)?ollama\.com(?::443)?(?:\/|$)/i.test(host))
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
