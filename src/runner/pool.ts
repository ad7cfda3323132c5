import type { ResolvedConfig } from '../config/schema.js'
import { pacer } from '../pace.js'

/**
 * Samples in progress at once. More than the per-host call limit, so that rendering, fixture reads
 * and assertions overlap the model calls and the server is never left idle.
 */
export function workerCount(config: ResolvedConfig): number {
  return Math.max(16, callSlots(config) * 4)
}

/** Calls the widest provider of the run may have in flight at once: its per-host limit times its hosts. */
export function callSlots(config: ResolvedConfig): number {
  return Math.max(config.concurrency * config.ollama.hosts.length, ...Object.values(config.providers).map((provider) => provider.concurrency * provider.hosts.length))
}

/**
 * Pulls items from a generator into `width` workers, so memory stays bounded whatever the run size.
 * A replay never waits on I/O (fixtures are read synchronously), so the workers step aside every
 * YIELD_EVERY_MS (pace.ts), all of them on one pause: Ctrl-C, the progress line and writes to
 * stdout still get their turn.
 *
 * Only `atOnce` workers start at once; the rest start on the event loop's next turn. A live run's
 * first calls leave only then: Node connects a socket and writes a request after the microtasks
 * that made it, and every worker's first sample (rendering, the fixture lookup) runs in those.
 */
export async function forEachConcurrent<T>(items: Iterator<T> | AsyncIterator<T>, width: number, work: (item: T) => Promise<void>, atOnce: number = width): Promise<void> {
  const stepAside = pacer()
  const worker = async (): Promise<void> => {
    for (;;) {
      // A plain iterator's next item is taken as it is: no promise to wait on, a tick less per item.
      const pending = items.next()
      const next = pending instanceof Promise ? await pending : pending
      if (next.done) return
      await work(next.value)
      const pause = stepAside()
      if (pause) await pause
    }
  }
  const workers = (count: number) => Promise.all(Array.from({ length: count }, worker))
  const first = Math.min(width, Math.max(1, atOnce))
  const later = new Promise<void>((resolve) => setImmediate(resolve)).then(() => workers(width - first))
  await Promise.all([workers(first), later])
}
