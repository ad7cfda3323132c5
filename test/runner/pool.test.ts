import { afterEach, describe, expect, it, vi } from 'vitest'
import { forEachConcurrent } from '../../src/runner/pool.js'

async function* count(n: number, pulled: { count: number }): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    pulled.count++
    yield i
  }
}

function* countNow(n: number, pulled: { count: number }): Generator<number> {
  for (let i = 0; i < n; i++) {
    pulled.count++
    yield i
  }
}

afterEach(() => vi.restoreAllMocks())

describe('forEachConcurrent', () => {
  it.each([
    ['an async generator', count],
    ['a plain generator', countNow],
  ])('does every item of %s, never more than `width` at once, pulling items only as workers free up', async (_, items) => {
    const pulled = { count: 0 }
    let running = 0
    let widest = 0
    const done: number[] = []
    await forEachConcurrent(items(50, pulled), 4, async (item) => {
      running++
      widest = Math.max(widest, running)
      expect(pulled.count - done.length).toBeLessThanOrEqual(4)
      await new Promise((resolve) => setTimeout(resolve, item % 3))
      done.push(item)
      running--
    })
    expect(widest).toBe(4)
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })

  it.each([
    ['an async generator', count],
    ['a plain generator', countNow],
  ])('lets a timer in while the work never waits on I/O, items from %s', async (_, items) => {
    // Each item is busy for a millisecond and then resolves at once, as a replay's sample does:
    // without the workers stepping aside, the timer would run only after the last item.
    const busy = () => {
      const until = performance.now() + 1
      while (performance.now() < until);
    }
    let done = 0
    let doneWhenTimerRan: number | undefined
    setTimeout(() => (doneWhenTimerRan = done), 0)
    await forEachConcurrent(items(400, { count: 0 }), 16, async () => {
      busy()
      done++
    })
    expect(doneWhenTimerRan).toBeDefined()
    expect(doneWhenTimerRan!).toBeLessThan(400)
  })

  it('makes all the workers share one pause, not one each', async () => {
    // A clock where every reading is 30 ms on: each item outlasts the 20 ms budget, so every
    // worker steps aside after every item; with a shared pause that is one setImmediate per round.
    let now = 0
    vi.spyOn(performance, 'now').mockImplementation(() => (now += 30))
    const immediate = vi.spyOn(globalThis, 'setImmediate')
    await forEachConcurrent(count(80, { count: 0 }), 8, async () => {})
    expect(immediate.mock.calls.length).toBeGreaterThan(0)
    expect(immediate.mock.calls.length).toBeLessThanOrEqual(80 / 8 + 1)
  })
})
