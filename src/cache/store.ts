import { createHash } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'pathe'
import { glob } from 'tinyglobby'
import { z } from 'zod'
import { writeFileAtomic } from '../atomic-write.js'
import { canonicalJson } from '../fixtures/key.js'
import { fixtureSchema } from '../fixtures/schema.js'
import type { ChatRequest, ChatResponse } from '../providers/types.js'

export interface CachePolicy {
  dir: string
  ttlMs: number
  maxEntries: number
}

const entrySchema = z.object({
  key: z.string(),
  /** The template (name@version) the request came from, part of the key. */
  template: z.string().optional(),
  createdAt: z.number(),
  lastUsedAt: z.number(),
  hits: z.int().min(0),
  request: fixtureSchema.shape.request,
  response: fixtureSchema.shape.response,
})

export type CacheEntry = z.infer<typeof entrySchema>

export interface CacheStats {
  hits: number
  misses: number
  writes: number
  evictions: number
}

/**
 * The seed's local response cache, under `.assay/cache` (not committed): in front of live calls,
 * entries expire after a TTL, the least recently used go once there are more than maxEntries, and
 * each counts its hits. The key is the fixture key plus the template version, so a changed
 * request, sample, early-stop rule or template version is a miss.
 */
export class ResponseCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0, evictions: 0 }
  private index: Map<string, number> | undefined

  constructor(
    private readonly root: string,
    private readonly policy: CachePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  static key(fixtureKey: string, template: string | undefined): string {
    return createHash('sha256').update(canonicalJson({ fixtureKey, template: template ?? null })).digest('hex')
  }

  private path(key: string): string {
    return join(this.root, this.policy.dir, key.slice(0, 2), `${key}.json`)
  }

  async get(key: string): Promise<ChatResponse | undefined> {
    const entry = await this.read(key)
    if (!entry || this.now() - entry.createdAt > this.policy.ttlMs) {
      if (entry) await this.remove(key)
      this.stats.misses++
      return undefined
    }
    this.stats.hits++
    const used = { ...entry, hits: entry.hits + 1, lastUsedAt: this.now() }
    await writeFileAtomic(this.path(key), JSON.stringify(used))
    this.index?.set(key, used.lastUsedAt)
    return entry.response
  }

  async put(key: string, template: string | undefined, request: ChatRequest, response: ChatResponse): Promise<void> {
    const now = this.now()
    const entry: CacheEntry = { key, ...(template === undefined ? {} : { template }), createdAt: now, lastUsedAt: now, hits: 0, request, response }
    await writeFileAtomic(this.path(key), JSON.stringify(entry))
    this.stats.writes++
    const index = await this.loadIndex()
    index.set(key, now)
    if (index.size > this.policy.maxEntries) {
      const oldest = [...index.entries()].sort((a, b) => a[1] - b[1]).slice(0, index.size - this.policy.maxEntries)
      for (const [old] of oldest) await this.remove(old)
    }
  }

  /** Whether a live entry exists, without counting a hit (for --dry-run). */
  async has(key: string): Promise<boolean> {
    const entry = await this.read(key)
    return entry !== undefined && this.now() - entry.createdAt <= this.policy.ttlMs
  }

  /** Every entry, for `assay cache list`. */
  async entries(): Promise<CacheEntry[]> {
    const files = await glob(['*/*.json'], { cwd: join(this.root, this.policy.dir), onlyFiles: true })
    const entries = await Promise.all(files.map((file) => this.read(file.split('/')[1]!.replace(/\.json$/, ''))))
    return entries.filter((entry): entry is CacheEntry => entry !== undefined)
  }

  /** Removes expired entries; all of them with `everything`. Returns how many went. */
  async prune(everything = false): Promise<number> {
    let removed = 0
    for (const entry of await this.entries()) {
      if (everything || this.now() - entry.createdAt > this.policy.ttlMs) {
        await this.remove(entry.key)
        removed++
      }
    }
    return removed
  }

  private async read(key: string): Promise<CacheEntry | undefined> {
    try {
      const parsed = entrySchema.safeParse(JSON.parse(await readFile(this.path(key), 'utf8')))
      // A damaged entry is only a cache miss: it is rewritten on the next live call.
      return parsed.success ? parsed.data : undefined
    } catch {
      return undefined
    }
  }

  private async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true })
    if (this.index?.delete(key)) this.stats.evictions++
  }

  private async loadIndex(): Promise<Map<string, number>> {
    if (!this.index) {
      const index = new Map<string, number>()
      for (const entry of await this.entries()) index.set(entry.key, entry.lastUsedAt)
      this.index = index
    }
    return this.index
  }
}
