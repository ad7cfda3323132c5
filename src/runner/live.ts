import type { ResolvedConfig, ResolvedProvider } from '../config/schema.js'
import { AssayError } from '../errors.js'
import { defaultReliability, HostPool } from '../providers/pool.js'
import { ProviderFailure } from '../providers/failure.js'
import type { CallOptions, ChatOptions, ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, Provider, ProviderCheck, ShowInfo } from '../providers/types.js'

/** Builds the client of one Ollama host; tests replace it. */
export type ProviderFactory = (host: string) => Provider

export interface LiveProviders {
  /** The pool of a named provider, or of the `ollama` settings for undefined. */
  get(name: string | undefined): Provider
  callsInFlight(): number
}

/**
 * The run's live model servers, one HostPool per provider, each built on first use, so a run from
 * fixtures never creates a client or reads an API key. Calls in flight are capped per host across
 * every eval of the run.
 */
export function liveProviders(config: ResolvedConfig, create: ProviderFactory = (host) => new LazyProvider(host, async () => new (await import('../providers/ollama.js')).OllamaProvider(host)), env: NodeJS.ProcessEnv = process.env): LiveProviders {
  const pools = new Map<string | undefined, HostPool>()
  const build = (name: string | undefined): HostPool => {
    if (name === undefined) {
      return new HostPool({
        hosts: config.ollama.hosts,
        concurrency: config.concurrency,
        policy: { ...defaultReliability, timeoutMs: config.ollama.timeoutMs, retries: config.ollama.retries },
        create,
        maxAnswerBytes: config.limits.answerBytes,
      })
    }
    const provider = config.providers[name]
    if (!provider) throw new AssayError('ASSAY_EVAL_INVALID', `No provider "${name}" in the config.`, { fix: `Add providers.${name} to assay.config.ts, or correct the name.` })
    return new HostPool({
      hosts: provider.hosts,
      concurrency: provider.concurrency,
      policy: { ...defaultReliability, timeoutMs: provider.timeoutMs, retries: provider.retries },
      label: `Provider "${name}"`,
      settings: `providers.${name}`,
      create: provider.type === 'ollama' ? create : openAIClient(name, provider, env),
      maxAnswerBytes: config.limits.answerBytes,
    })
  }
  return {
    get(name) {
      let pool = pools.get(name)
      if (!pool) pools.set(name, (pool = build(name)))
      return pool
    },
    callsInFlight: () => [...pools.values()].reduce((sum, pool) => sum + pool.callsInFlight(), 0),
  }
}

/** The client of one host of an OpenAI-compatible provider; a named key variable that is not set is one clear error. */
function openAIClient(name: string, provider: Extract<ResolvedProvider, { type: 'openai' }>, env: NodeJS.ProcessEnv): (host: string) => Provider {
  const apiKey = provider.apiKeyEnv === undefined ? undefined : env[provider.apiKeyEnv]
  if (provider.apiKeyEnv !== undefined && !apiKey) {
    throw new AssayError('ASSAY_PROVIDER_AUTH', `Provider "${name}" takes its API key from the environment variable ${provider.apiKeyEnv}, which is not set.`, {
      fix: `Set ${provider.apiKeyEnv} to the server's key (export ${provider.apiKeyEnv}=...), or run from fixtures with --record replay.`,
    })
  }
  return (host) =>
    new LazyProvider(host, async () => new (await import('../providers/openai.js')).OpenAIProvider({ name, baseURL: host, apiKey, apiKeyEnv: provider.apiKeyEnv, headers: provider.headers, stream: provider.stream }))
}

/** A client imported on its first call: a replay never loads one (ollama's brings a fetch polyfill). */
class LazyProvider implements Provider {
  private provider: Promise<Provider> | undefined

  constructor(
    readonly host: string,
    private readonly load: () => Promise<Provider>,
  ) {}

  async chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResponse> {
    return (await (this.provider ??= this.load())).chat(request, options)
  }

  async embed(request: EmbedRequest, options?: CallOptions): Promise<EmbedResponse> {
    const provider = await (this.provider ??= this.load())
    if (!provider.embed) throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `The server at ${this.host} cannot compute embeddings.`, { retryable: false })
    return provider.embed(request, options)
  }

  async check(model: string, options?: { signal?: AbortSignal }): Promise<ProviderCheck> {
    return (await (this.provider ??= this.load())).check(model, options)
  }

  /** The loaded client's `/api/show`; a client without one knows no context window. */
  async show(model: string): Promise<ShowInfo> {
    const provider = await (this.provider ??= this.load())
    return provider.show ? provider.show(model) : {}
  }
}
