import pLimit from 'p-limit'
import { OllamaProvider } from '../providers/ollama.js'
import type { Provider } from '../providers/types.js'

export type ProviderFactory = (host: string) => Provider

/**
 * A live provider whose calls in flight are capped at `concurrency`, across every eval of the run.
 * Built on first use, so a run from fixtures never creates a client.
 */
export function limitedLiveProvider(host: string, concurrency: number, create: ProviderFactory = (h) => new OllamaProvider(h)): () => Provider {
  let provider: Provider | undefined
  return () => {
    if (provider) return provider
    const inner = create(host)
    const limit = pLimit(concurrency)
    provider = { host: inner.host, chat: (request, options) => limit(() => inner.chat(request, options)) }
    return provider
  }
}
