import { OllamaProvider } from '../providers/ollama.js'
import { defaultReliability, HostPool } from '../providers/pool.js'
import type { Provider } from '../providers/types.js'
import type { ResolvedConfig } from '../config/schema.js'

export type ProviderFactory = (host: string) => Provider

/**
 * The run's live model servers, built on first use, so a run from fixtures never creates a
 * client. Calls in flight are capped per host across every eval of the run.
 */
export function livePool(config: ResolvedConfig, create: ProviderFactory = (host) => new OllamaProvider(host)): { pool: () => HostPool; callsInFlight: () => number } {
  let pool: HostPool | undefined
  return {
    pool: () =>
      (pool ??= new HostPool({
        hosts: config.ollama.hosts,
        concurrency: config.concurrency,
        policy: { ...defaultReliability, timeoutMs: config.ollama.timeoutMs, retries: config.ollama.retries },
        create,
      })),
    callsInFlight: () => pool?.callsInFlight() ?? 0,
  }
}
