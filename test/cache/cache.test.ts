import { readdir, truncate } from 'node:fs/promises'
import { glob } from 'tinyglobby'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { parseDuration } from '../../src/config/duration.js'
import { ResponseCache } from '../../src/recording/cache.js'
import { MAX_FIXTURE_BYTES } from '../../src/recording/file.js'
import { resolveConfig } from '../../src/config/load.js'
import type { ChatRequest, ChatResponse } from '../../src/providers/types.js'
import { runEvals } from '../../src/runner/run.js'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { basicWorkspace, createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace | undefined
let server: FakeOllama | undefined
const request: ChatRequest = { model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] }
const response = (content: string): ChatResponse => ({ content, model: 'llama3.2', usage: {}, timing: { latencyMs: 5 } })

describe('parseDuration', () => {
  it('reads 90m, 1d, 4w, 30s and milliseconds, and refuses the rest', () => {
    expect([parseDuration('90m'), parseDuration('1d'), parseDuration('4w'), parseDuration('30s'), parseDuration(250)]).toEqual([5_400_000, 86_400_000, 2_419_200_000, 30_000, 250])
    expect(parseDuration('soon')).toBeUndefined()
    expect(parseDuration('1y')).toBeUndefined()
  })
})

describe('ResponseCache', () => {
  it('serves an answer until its TTL, counting hits in the entry', async () => {
    workspace = await createWorkspace()
    let now = 1_000
    const cache = new ResponseCache(workspace.root, { dir: '.assay/cache', ttlMs: 60_000, maxEntries: 10 }, () => now)
    const key = ResponseCache.key('f'.repeat(64), 'w/t@1')
    expect(await cache.get(key)).toBeUndefined()
    await cache.put(key, 'w/t@1', request, response('cached'))
    now += 30_000
    expect((await cache.get(key))?.content).toBe('cached')
    expect((await cache.get(key))?.content).toBe('cached')
    expect((await cache.entries())[0]).toMatchObject({ hits: 2, template: 'w/t@1' })
    now += 31_000
    expect(await cache.get(key)).toBeUndefined()
    expect(await cache.entries()).toEqual([])
  })

  it('evicts the least recently used entries beyond maxEntries', async () => {
    workspace = await createWorkspace()
    let now = 0
    const cache = new ResponseCache(workspace.root, { dir: 'c', ttlMs: 1e9, maxEntries: 2 }, () => now)
    const keys = ['a', 'b', 'c'].map((k) => ResponseCache.key(k.repeat(64), undefined))
    await cache.put(keys[0]!, undefined, request, response('a'))
    now = 1
    await cache.put(keys[1]!, undefined, request, response('b'))
    now = 2
    await cache.get(keys[0]!)
    now = 3
    await cache.put(keys[2]!, undefined, request, response('c'))
    expect((await cache.entries()).map((e) => ('content' in e.response ? e.response.content : '')).sort()).toEqual(['a', 'c'])
  })

  it('keys on the template version as well as the request', () => {
    expect(ResponseCache.key('f'.repeat(64), 'w/t@1')).not.toBe(ResponseCache.key('f'.repeat(64), 'w/t@2'))
  })
})

describe('the cache in a run', () => {
  async function run(record: 'off' | 'new' | 'replay' | 'all', cache = true) {
    const config = await resolveConfig(workspace!.root, { flags: { record, cache: { enabled: cache } }, env: { OLLAMA_HOST: server?.host ?? 'http://127.0.0.1:9' } })
    return runEvals({ config })
  }

  it('answers a repeated live run from .assay/cache, never in replay, and never with --no-cache', async () => {
    workspace = await createWorkspace(basicWorkspace)
    server = await startFakeOllama()
    expect((await run('off')).summary.calls).toEqual({ total: 2, fixture: 0, cache: 0, live: 2 })
    expect((await run('off')).summary.calls).toEqual({ total: 2, fixture: 0, cache: 2, live: 0 })
    expect(server.requests).toHaveLength(2)
    expect((await run('off', false)).summary.calls.live).toBe(2)
    // new: the fixture is written from the cached answer, no call made.
    expect((await run('new')).summary.calls).toEqual({ total: 2, fixture: 0, cache: 2, live: 0 })
    expect(await readdir(join(workspace.root, 'fixtures/greet'))).toHaveLength(2)
    expect((await run('replay')).summary.calls).toEqual({ total: 2, fixture: 2, cache: 0, live: 0 })
    // all: re-records from the model, whatever the cache holds.
    expect((await run('all')).summary.calls.live).toBe(2)
    expect(server.requests).toHaveLength(6)
  })

  it('misses when the template version changes, even with the same text', async () => {
    workspace = await createWorkspace(basicWorkspace)
    server = await startFakeOllama()
    await run('off')
    await workspace.write('evals/templates/greeter/greet_v3.yaml', basicWorkspace['evals/templates/greeter/greet_v2.yaml']!.replace('version: "2"', 'version: "3"'))
    expect((await run('off')).summary.calls).toEqual({ total: 2, fixture: 0, cache: 0, live: 2 })
  })

  it('lists, prunes and clears from the CLI', async () => {
    workspace = await createWorkspace(basicWorkspace)
    server = await startFakeOllama()
    await run('off')
    const list = await runCli(['cache', 'list'], { cwd: workspace.root })
    expect(list.stdout).toMatch(/^[0-9a-f]{12}  llama3\.2  greeter\/greet@2  0 hits  0 min old\n/)
    expect(list.stdout).toContain('2 entries in .assay/cache/')
    expect((await runCli(['cache', 'prune'], { cwd: workspace.root })).stdout).toBe('removed 0 expired entries from .assay/cache/\n')
    expect((await runCli(['cache', 'prune', '--cache-ttl', '0ms'], { cwd: workspace.root })).stdout).toBe('removed 2 expired entries from .assay/cache/\n')
    await run('off')
    expect((await runCli(['cache', 'clear'], { cwd: workspace.root })).stdout).toBe('removed 2 entries from .assay/cache/\n')
  })
})

describe('ResponseCache, given a damaged entry', () => {
  it('takes an entry past the size bound (read no further, file.test.ts) as a miss, and records over it', async () => {
    workspace = await createWorkspace()
    const cache = new ResponseCache(workspace.root, { dir: '.assay/cache', ttlMs: 60_000, maxEntries: 10 })
    const key = ResponseCache.key('e'.repeat(64), undefined)
    await cache.put(key, undefined, request, response('cached'))
    const [file] = await glob(['**/*.json'], { cwd: join(workspace.root, '.assay/cache'), absolute: true })
    // Sparse: no disk is used.
    await truncate(file!, MAX_FIXTURE_BYTES + 1)
    expect(await cache.get(key)).toBeUndefined()
    await cache.put(key, undefined, request, response('again'))
    expect((await cache.get(key))?.content).toBe('again')
  })
})
