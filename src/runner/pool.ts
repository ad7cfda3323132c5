import type { ResolvedConfig } from '../config/schema.js'
import { pacer } from '../pace.js'

/**
 * Samples in progress at once. More than the per-host call limit, so that rendering, fixture reads
 * and assertions overlap the model calls and the server is never left idle.
 */
export function workerCount(config: ResolvedConfig): number {
  const widest = Math.max(config.concurrency, ...Object.values(config.providers).map((provider) => provider.concurrency * provider.hosts.length))
  return Math.max(16, widest * 4)
}

/**
 * Pulls items from a generator into `width` workers, so memory stays bounded whatever the run size.
 * A replay never waits on I/O (fixtures are read synchronously), so the workers step aside every
 * YIELD_EVERY_MS (pace.ts), all of them on one pause: Ctrl-C, the progress line and writes to
 * stdout still get their turn.
 */
export async function forEachConcurrent<T>(items: Iterator<T> | AsyncIterator<T>, width: number, work: (item: T) => Promise<void>): Promise<void> {
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
  await Promise.all(Array.from({ length: width }, worker))
}
