import { describe, expect, it, vi } from 'vitest'
import { ResponseCache } from '../../src/recording/cache.js'
import { checkFixtures } from '../../src/recording/check.js'
import { FixtureStore } from '../../src/recording/store.js'
import { sampleFixture, sampleRequest } from '../helpers/fixture.js'
import { createWorkspace } from '../helpers/workspace.js'

/** Every read of a file under a `short/` folder returns at most this many bytes, as a network or FUSE file system may. */
const SHORT = 50
const shortFds = new Set<number>()
let shortReads = 0

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  return {
    ...fs,
    openSync: (...args: Parameters<typeof fs.openSync>) => {
      const fd = fs.openSync(...args)
      if (String(args[0]).includes('/short/')) shortFds.add(fd)
      return fd
    },
    closeSync: (fd: number) => {
      shortFds.delete(fd)
      fs.closeSync(fd)
    },
    readSync: (fd: number, buffer: NodeJS.ArrayBufferView, offset: number, length: number, position: number | null) => {
      if (!shortFds.has(fd) || length <= SHORT) return fs.readSync(fd, buffer, offset, length, position)
      shortReads++
      return fs.readSync(fd, buffer, offset, SHORT, position)
    },
  }
})

const fixture = sampleFixture()
const request = sampleRequest

describe('FixtureStore, on a file system whose reads come back short', () => {
  it('reads a fixture to its end before calling it broken, and replays it', async () => {
    const workspace = await createWorkspace()
    const store = new FixtureStore(workspace.root, 'short')
    await store.write(fixture)
    shortReads = 0
    expect(store.readSync('writer: chapter', fixture.key)).toEqual(fixture)
    // The file is many short reads long: the first read alone was not the fixture.
    expect(shortReads).toBeGreaterThan(4)
  })

  it('still names a fixture that is broken however far it is read', async () => {
    const workspace = await createWorkspace()
    const store = new FixtureStore(workspace.root, 'short')
    const path = await store.write(fixture)
    await workspace.write(path, `${JSON.stringify(fixture)}}`)
    expect(() => store.readSync('writer: chapter', fixture.key)).toThrow(
      expect.objectContaining({ code: 'ASSAY_FIXTURE_INVALID', file: path, message: expect.stringMatching(/^The fixture is not valid JSON/) }),
    )
  })

  it('takes a cache entry and checks a fixture read to their ends', async () => {
    const workspace = await createWorkspace()
    const cache = new ResponseCache(workspace.root, { dir: 'short/cache', ttlMs: 60_000, maxEntries: 10 })
    const key = ResponseCache.key('e'.repeat(64), undefined)
    await cache.put(key, undefined, request, fixture.response)
    shortReads = 0
    expect((await cache.get(key))?.content).toBe('Hello')
    expect(shortReads).toBeGreaterThan(4)
    await new FixtureStore(workspace.root, 'short/fixtures').write(fixture)
    expect((await checkFixtures(workspace.root, 'short/fixtures')).invalid).toEqual([])
  })
})
