import pLimit from 'p-limit'
import { reliabilityDefaults } from '../config/defaults.js'
import { ProviderFailure, isRetryable } from './failure.js'
import type { CallOptions, ChatOptions, ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, Provider, ProviderCheck, ShowInfo } from './types.js'

/** How hard to try, and when to stop trying a host. */
export interface ReliabilityPolicy {
  /** Retries after the first try, for connection errors, 5xx, 429, broken streams and timeouts. */
  retries: number
  baseDelayMs: number
  maxDelayMs: number
  /** Per try, from request to the last token. */
  timeoutMs: number
  /** Consecutive failures that open a host's circuit. */
  breakerFailures: number
  /** How long an open circuit stays open before one trial call. */
  breakerCooldownMs: number
}

export const defaultReliability: ReliabilityPolicy = reliabilityDefaults

export interface PoolOptions {
  hosts: string[]
  /** Who the hosts are, in messages: `Ollama`, `provider "vllm"`. @default 'Ollama' */
  label?: string
  /** Where its settings live in the config, for the fix of a timeout. @default 'ollama' */
  settings?: string
  /** Calls in flight per host. */
  concurrency: number
  policy: ReliabilityPolicy
  create: (host: string) => Provider
  /** limits.answerBytes, passed to every call. */
  maxAnswerBytes?: number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
  now?: () => number
}

interface Host {
  host: string
  provider: Provider
  limit: ReturnType<typeof pLimit>
  /** Consecutive failures; reset by a success. */
  failures: number
  openUntil: number
  lastError: ProviderFailure | undefined
}

/**
 * The live model servers of a run: a per-host cap on calls in flight shared by every eval, the
 * least busy host first (round-robin among equals), retries with exponential backoff and jitter
 * (or the server's Retry-After), a timeout per try, and a circuit breaker per host that stops
 * hammering a dead server: once every host is open, calls fail at once with one clear message.
 */
export class HostPool implements Provider {
  readonly host: string
  private readonly hosts: Host[]
  private next = 0
  /** A refused key (401/403): every later call fails at once with the same error. */
  private refused: ProviderFailure | undefined
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  private readonly random: () => number
  private readonly now: () => number

  constructor(private readonly options: PoolOptions) {
    this.host = options.hosts.join(', ')
    this.hosts = options.hosts.map((host) => ({ host, provider: options.create(host), limit: pLimit(options.concurrency), failures: 0, openUntil: 0, lastError: undefined }))
    this.sleep = options.sleep ?? abortableSleep
    this.random = options.random ?? Math.random
    this.now = options.now ?? Date.now
  }

  private get label(): string {
    return this.options.label ?? 'Ollama'
  }

  /** Every host answers and serves the model; the first problem otherwise. */
  async check(model: string, options: { signal?: AbortSignal } = {}): Promise<ProviderCheck> {
    for (const host of this.hosts) {
      const found = await host.provider.check(model, options)
      if (found.status !== 'ok') return found
    }
    return { status: 'ok' }
  }

  /** Calls running now, over all hosts. */
  callsInFlight(): number {
    return this.hosts.reduce((sum, host) => sum + host.limit.activeCount, 0)
  }

  chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResponse> {
    return this.withRetries(options, (provider, signal) => provider.chat(request, { ...options, signal, ...(this.options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: this.options.maxAnswerBytes }) }))
  }

  /** Embeddings, with the same host choice, limits, retries, timeout and circuit breaker as chat. */
  embed(request: EmbedRequest, options: CallOptions = {}): Promise<EmbedResponse> {
    return this.withRetries(options, (provider, signal) => {
      if (!provider.embed) throw new ProviderFailure('ASSAY_PROVIDER_FAILED', `${this.label} at ${provider.host} cannot compute embeddings.`, { retryable: false, fix: 'Name a provider that serves embeddings (Ollama, or an OpenAI-compatible server with /v1/embeddings) in assert.similar({ provider }).' })
      return provider.embed(request, { signal })
    })
  }

  private async withRetries<R extends { retries?: number }>(options: CallOptions, once: (provider: Provider, signal: AbortSignal) => Promise<R>): Promise<R> {
    const { policy } = this.options
    let lastError: ProviderFailure | undefined
    if (this.refused) throw this.refused
    for (let attempt = 0; attempt <= policy.retries; attempt++) {
      const host = this.pick()
      if (!host) throw this.circuitOpen()
      try {
        const response = await host.limit(() => {
          if (options.noNewCalls?.aborted) throw options.noNewCalls.reason
          // A call cancelled while it waited for a slot (Ctrl-C, a prompt found too long) is never sent.
          if (options.signal?.aborted) throw options.signal.reason
          // Calls that waited for a slot while the key was refused fail without asking again.
          if (this.refused) throw this.refused
          return this.tryOnce(host, options, once)
        })
        host.failures = 0
        host.openUntil = 0
        // The slot is free, and the call waiting for it starts in this turn's microtasks, but Node
        // writes a request only in a nextTick, once the microtask queue is empty: all that this
        // answer sets off (recording, assertions, progress, the sample's next prompt) would run
        // first. Handed back after this turn's I/O, the answer lets that request leave first, and
        // those of the other answers read in the same poll.
        await afterThisTurn()
        return { ...response, retries: attempt }
      } catch (error) {
        if (options.signal?.aborted || options.noNewCalls?.aborted) throw error
        if (!isRetryable(error)) throw error
        lastError = error as ProviderFailure
        host.lastError = lastError
        if (++host.failures >= policy.breakerFailures) host.openUntil = this.now() + policy.breakerCooldownMs
        if (attempt === policy.retries) break
        const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
        // "Equal jitter": half the backoff, plus up to half again at random, so retries spread out.
        await this.sleep(lastError.retryAfterMs ?? backoff / 2 + (this.random() * backoff) / 2, options.signal)
      }
    }
    throw new ProviderFailure(lastError!.code, `${lastError!.message} (gave up after ${policy.retries + 1} tries)`, {
      fix: lastError!.fix,
      retryable: false,
      status: lastError!.status,
      cause: lastError,
    })
  }

  /** `/api/show` from the first host whose circuit is closed; hosts serve the same models. */
  async show(model: string): Promise<ShowInfo> {
    const host = this.hosts.find((candidate) => candidate.openUntil <= this.now())
    if (!host?.provider.show) return {}
    return host.provider.show(model)
  }

  private async tryOnce<R>(host: Host, options: CallOptions, once: (provider: Provider, signal: AbortSignal) => Promise<R>): Promise<R> {
    const timeout = AbortSignal.timeout(this.options.policy.timeoutMs)
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
    try {
      return await once(host.provider, signal)
    } catch (error) {
      // Set before the slot frees, so no call waiting for it goes out with the refused key.
      if (error instanceof ProviderFailure && error.code === 'ASSAY_PROVIDER_AUTH') this.refused = error
      if (timeout.aborted && !options.signal?.aborted) {
        throw new ProviderFailure('ASSAY_PROVIDER_TIMEOUT', `${this.label} at ${host.host} did not finish within ${this.options.policy.timeoutMs} ms.`, {
          fix: `Raise ${this.options.settings ?? 'ollama'}.timeoutMs in assay.config.ts for long generations, or lower the concurrency if the server is overloaded.`,
          retryable: true,
          cause: error,
        })
      }
      throw error
    }
  }

  /** The least busy host whose circuit is closed (or half-open after its cooldown). */
  private pick(): Host | undefined {
    const now = this.now()
    const usable = this.hosts.filter((host) => host.openUntil <= now)
    if (usable.length === 0) return undefined
    const load = (host: Host) => host.limit.activeCount + host.limit.pendingCount
    const least = Math.min(...usable.map(load))
    const candidates = usable.filter((host) => load(host) === least)
    const chosen = candidates[this.next++ % candidates.length]!
    return chosen
  }

  private circuitOpen(): ProviderFailure {
    const { breakerFailures, breakerCooldownMs } = this.options.policy
    const lastError = this.hosts.map((host) => host.lastError).find((error) => error !== undefined)
    const why = lastError ? ` The last error: ${lastError.message}` : ''
    return new ProviderFailure(
      'ASSAY_PROVIDER_CIRCUIT_OPEN',
      `${this.label} at ${this.host} failed ${breakerFailures} times in a row, so the remaining calls fail at once for ${Math.round(breakerCooldownMs / 1000)} s instead of waiting on a dead server.${why}`,
      // The last failure's own fix (`ollama serve`, a model to pull) is the step to take first.
      { fix: `${lastError?.fix ? `${lastError.fix} Then run` : 'Check that the server is up, then run'} again: fixtures already recorded are kept, and --record new records only the rest.`, retryable: false },
    )
  }
}

/** Settles in the event loop's check phase, after the current turn's I/O callbacks and ticks. */
function afterThisTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    }, { once: true })
  })
}
