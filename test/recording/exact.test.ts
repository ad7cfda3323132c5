import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { isExactFixture } from '../../src/recording/exact.js'
import { FIXTURE_SCHEMA_VERSION, fixtureSchema } from '../../src/recording/schema.js'

/** Every field the schema knows, in the schema's order: what assay writes for a call with all of them. */
const full = {
  schema: FIXTURE_SCHEMA_VERSION,
  key: 'ab'.repeat(32),
  eval: 'writer: chapter',
  case: 'dragon',
  sample: 2,
  cutoff: 'contains "x"',
  recordedAt: '2026-11-24T12:00:00.000Z',
  request: {
    provider: 'local',
    model: 'llama3.2',
    messages: [
      { role: 'system', content: 'S' },
      { role: 'user', content: 'U' },
      { role: 'assistant', content: 'A' },
    ],
    format: { type: 'object', properties: { a: { type: 'string' } } },
    options: { temperature: 0.7, seed: 7, stop: ['\n'] },
    think: 'low',
    tools: [{ type: 'function', function: { name: 'add', description: 'adds', parameters: { type: 'object' } } }],
  },
  response: {
    content: 'Hello',
    thinking: 'hmm',
    model: 'llama3.2',
    doneReason: 'stop',
    usage: { promptTokens: 1, completionTokens: 2 },
    timing: { latencyMs: 12.5, firstTokenMs: 3, totalMs: 12, loadMs: 1, promptEvalMs: 2, evalMs: 9 },
    cutShort: 'answerBytes',
    toolCalls: [{ name: 'add', arguments: { a: 1, b: [2] }, invalidArguments: '{"a":' }],
  },
}

/** The fewest fields: what assay writes for a plain call. */
const bare = {
  schema: FIXTURE_SCHEMA_VERSION,
  key: 'cd'.repeat(32),
  eval: 'e',
  case: 'c',
  sample: 0,
  recordedAt: 'now',
  request: { model: 'm', messages: [] },
  response: { content: '', model: 'm', usage: {}, timing: { latencyMs: 0 } },
}

const LEAVES: unknown[] = [null, 0, -1, 1.5, 2 ** 53, '', 'x', 'json', 'low', 'user', 'function', 'ab'.repeat(32), true, false, [], [{}], {}, { a: 1 }]

type Path = (string | number)[]

/** Every path to a value inside `value`, the root excepted. */
function paths(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return []
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)
  return keys.flatMap((key) => [[...at, key], ...paths((value as Record<string | number, unknown>)[key], [...at, key])])
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** `data` with the object or array at `path` changed by `change` (applied to a copy). */
function mutate(data: unknown, path: Path, change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const out = copy(data) as Record<string | number, unknown>
  let parent = out
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  change(parent, path.at(-1)!)
  return out
}

/** The object at `path` rebuilt with `entries` in this order. */
function withEntries(data: unknown, path: Path, entries: (keys: [string, unknown][]) => [string, unknown][]): unknown {
  if (path.length === 0) return Object.fromEntries(entries(Object.entries(data as object)))
  return mutate(data, path, (parent, key) => {
    parent[key] = Object.fromEntries(entries(Object.entries(parent[key] as object)))
  })
}

/** Every small change to a fixture: each value replaced by each leaf or deleted, each object given another key, its keys reversed, a __proto__ key. */
function mutants(data: unknown): unknown[] {
  const out: unknown[] = []
  for (const path of paths(data)) {
    for (const leaf of LEAVES) out.push(mutate(data, path, (parent, key) => (parent[key] = copy(leaf))))
    out.push(mutate(data, path, (parent, key) => delete parent[key]))
  }
  const objects: Path[] = [[], ...paths(data).filter((path) => {
    let value = data as Record<string | number, unknown>
    for (const key of path) value = value[key] as Record<string | number, unknown>
    return value !== null && typeof value === 'object' && !Array.isArray(value)
  })]
  for (const path of objects) {
    out.push(withEntries(data, path, (entries) => [...entries, ['extra', 1]]))
    out.push(withEntries(data, path, (entries) => [['extra', 1], ...entries]))
    out.push(withEntries(data, path, (entries) => [...entries].reverse()))
    out.push(JSON.parse(JSON.stringify(withEntries(data, path, (entries) => [...entries, ['PROTO', { polluted: true }]])).replace('"PROTO"', '"__proto__"')))
  }
  return out
}

describe('isExactFixture', () => {
  // The store falls back to fixtureSchema itself; zod's compiled form (what its fast path runs) must agree as well.
  const schemas = [fixtureSchema, z.compile(fixtureSchema)]

  it('takes a fixture exactly as assay writes it, all fields or the fewest', () => {
    expect(isExactFixture(copy(full))).toBe(true)
    expect(isExactFixture(copy(bare))).toBe(true)
    expect(isExactFixture({ ...copy(bare), request: { model: 'm', messages: [], format: 'json', think: true } })).toBe(true)
  })

  it('is never looser than the schema: whatever it takes, the schema takes too and copies to the same JSON, over every small change to a fixture', () => {
    let taken = 0
    let left = 0
    for (const base of [full, bare]) {
      for (const mutant of mutants(base)) {
        const text = JSON.stringify(mutant)
        const data = JSON.parse(text) as unknown
        if (!isExactFixture(data)) {
          left++
          continue
        }
        taken++
        for (const schema of schemas) {
          const parsed = schema.safeParse(JSON.parse(text))
          expect(parsed.success, text).toBe(true)
          // The schema's output, key order included, is the file as it was: taking it as it is changes nothing downstream.
          expect(JSON.stringify(parsed.data), text).toBe(text)
        }
      }
    }
    // Both ways are exercised: a check that took nothing, or everything, would pass the loop above.
    expect(taken).toBeGreaterThan(50)
    expect(left).toBeGreaterThan(500)
  })

  it('leaves to the schema an unknown key, keys out of the schema order and a __proto__ key, which the schema copy would change', () => {
    expect(isExactFixture({ ...copy(bare), extra: 1 })).toBe(false)
    expect(isExactFixture({ ...copy(bare), response: { model: 'm', content: '', usage: {}, timing: { latencyMs: 0 } } })).toBe(false)
    expect(isExactFixture(JSON.parse(JSON.stringify({ ...bare, request: { model: 'm', messages: [], options: { PROTO: 1 } } }).replace('PROTO', '__proto__')))).toBe(false)
  })

  it('refuses what the schema refuses: a wrong type, a bad key, a negative or fractional sample, an unknown role, an infinite number', () => {
    const cases: unknown[] = [
      { ...copy(bare), sample: -1 },
      { ...copy(bare), sample: 0.5 },
      { ...copy(bare), key: 'AB'.repeat(32) },
      { ...copy(bare), schema: 2 },
      { ...copy(bare), request: { model: 'm', messages: [{ role: 'tool', content: 'x' }] } },
      { ...copy(bare), request: { model: 'm', messages: [], think: 'max' } },
      { ...copy(bare), request: { model: 'm', messages: [], format: 'xml' } },
      JSON.parse(JSON.stringify(bare).replace('"latencyMs":0', '"latencyMs":1e400')),
    ]
    for (const data of cases) {
      expect(isExactFixture(data)).toBe(false)
      for (const schema of schemas) expect(schema.safeParse(data).success).toBe(false)
    }
  })
})
