import type { ResolvedConfig } from '../config/schema.js'

/**
 * Samples in progress at once. More than the per-host call limit, so that rendering, fixture reads
 * and assertions overlap the model calls and the server is never left idle.
 */
export function workerCount(config: ResolvedConfig): number {
  const widest = Math.max(config.concurrency, ...Object.values(config.providers).map((provider) => provider.concurrency * provider.hosts.length))
  return Math.max(16, widest * 4)
}

/** How long the workers may keep the event loop busy before letting timers, signals and I/O in. */
export const YIELD_EVERY_MS = 20

/**
 * Pulls items from a generator into `width` workers, so memory stays bounded whatever the run size.
 * A replay never waits on I/O (fixtures are read synchronously), so the workers step aside every
 * YIELD_EVERY_MS: Ctrl-C, the progress line and writes to stdout still get their turn.
 */
export async function forEachConcurrent<T>(items: Iterator<T> | AsyncIterator<T>, width: number, work: (item: T) => Promise<void>): Promise<void> {
  let busySince = performance.now()
  // One pause shared by every worker. With one setImmediate per worker, Node ran the workers'
  // immediates back to back in a single check phase, each resumed worker busy for another
  // YIELD_EVERY_MS, so timers and signals waited width x YIELD_EVERY_MS (about 370 ms measured).
  let pause: Promise<void> | undefined
  const stepAside = () =>
    (pause ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        pause = undefined
        busySince = performance.now()
        resolve()
      }),
    ))
  const worker = async (): Promise<void> => {
    for (;;) {
      // A plain iterator's next item is taken as it is: no promise to wait on, a tick less per item.
      const pending = items.next()
      const next = pending instanceof Promise ? await pending : pending
      if (next.done) return
      await work(next.value)
      if (performance.now() - busySince > YIELD_EVERY_MS) await stepAside()
    }
  }
  await Promise.all(Array.from({ length: width }, worker))
}
