/** How long a loop that never waits on I/O may keep the event loop busy before letting signals, timers and I/O in. */
export const YIELD_EVERY_MS = 20

/**
 * One pause for every loop that takes it: undefined while the budget lasts, else a promise that
 * resolves on the event loop's next turn. Shared, because with a setImmediate per loop Node ran
 * them back to back in one check phase, each resumed loop busy for another budget: timers and
 * signals waited width x YIELD_EVERY_MS (about 370 ms measured with the worker pool).
 */
export function pacer(everyMs: number = YIELD_EVERY_MS): () => Promise<void> | undefined {
  let busySince = performance.now()
  let pause: Promise<void> | undefined
  return () => {
    if (performance.now() - busySince <= everyMs) return undefined
    return (pause ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        pause = undefined
        busySince = performance.now()
        resolve()
      }),
    ))
  }
}
