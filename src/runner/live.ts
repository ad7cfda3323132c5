import pLimit from 'p-limit'
import { OllamaProvider } from '../providers/ollama.js'
import type { Provider } from '../providers/types.js'

export type ProviderFactory = (host: string) => Provider

/**
 * A live provider whose calls in flight are capped at `concurrency`, across every eval of the run.
 * Built on first use, so a run from fixtures never creates a client.
 */
export function limitedLiveProvider(
  host: string,
  concurrency: number,
  create: ProviderFactory = (h) => new OllamaProvider(h),
): { provider: () => Provider; callsInFlight: () => number } {
  let provider: Provider | undefined
  let limit: ReturnType<typeof pLimit> | undefined
  return {
    provider: () => {
      if (provider) return provider
      const inner = create(host)
      const limiter = pLimit(concurrency)
      limit = limiter
      provider = { host: inner.host, chat: (request, options) => limiter(() => inner.chat(request, options)) }
      return provider
    },
    callsInFlight: () => limit?.activeCount ?? 0,
  }
}
