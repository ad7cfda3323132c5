import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { evaluateAssertion, describeAssertion } from '../../src/assertions/registry.js'
import { assert } from '../../src/index.js'
import type { ToolCall } from '../../src/providers/tools.js'
import { contextFor } from '../helpers/assertion-context.js'

const run = (spec: ReturnType<typeof assert.toolCalls>, toolCalls: ToolCall[]) => evaluateAssertion(spec, contextFor('', { toolCalls }))
const weather = (city: string, days: unknown = 1): ToolCall => ({ name: 'get_weather', arguments: { city, days } })
const search: ToolCall = { name: 'search', arguments: { query: 'umbrella shops' } }

describe('assert.toolCalls', () => {
  it('passes when the expected calls were made, in any order, with arguments that pass a zod schema or equal given fields', async () => {
    const spec = assert.toolCalls({ expect: [{ name: 'search', args: { query: 'umbrella shops' } }, { name: 'get_weather', args: z.object({ city: z.literal('Paris'), days: z.int() }) }] })
    expect(await run(spec, [weather('Paris'), search])).toEqual({ pass: true, score: 1, reason: '2/2 expected calls made: search, get_weather' })
    expect(describeAssertion(spec)).toBe('toolCalls search, get_weather (any order)')
  })

  it('matches calls one to one, finding the assignment a greedy match would miss', async () => {
    // The first expectation fits both calls, the second only the first call: greedy would take it and fail.
    const spec = assert.toolCalls({ expect: [{ name: 'get_weather' }, { name: 'get_weather', args: { city: 'Paris' } }] })
    expect((await run(spec, [weather('Paris'), weather('Lyon')])).pass).toBe(true)
  })

  it('names arguments that fail the schema, with the path, and scores the F1 over calls', async () => {
    const spec = assert.toolCalls({ expect: [{ name: 'get_weather', args: z.object({ city: z.string(), days: z.int().min(1) }) }, { name: 'search' }] })
    const result = await run(spec, [weather('Paris', 'two'), search])
    expect(result.pass).toBe(false)
    // One of two expected calls matched, out of two made: F1 = 2*1/(2+2).
    expect(result.score).toBe(0.5)
    expect(result.reason).toMatch(/^1\/2 expected calls matched, 2 made; call 1 get_weather: arguments days: Invalid input: expected number, received string$/)
  })

  it('names the field that differs from an expected object, nested fields by their path', async () => {
    const spec = assert.toolCalls({ expect: [{ name: 'book', args: { where: { city: 'Paris' }, nights: 2 } }] })
    const result = await run(spec, [{ name: 'book', arguments: { where: { city: 'Lyon', country: 'FR' }, nights: 2 } }])
    expect(result.reason).toContain('call 1 book: arguments where.city: expected "Paris", got "Lyon"')
    expect((await run(spec, [{ name: 'book', arguments: { where: { city: 'Paris' } } }])).reason).toContain('arguments nights: missing')
  })

  it('names a missing call and an unknown tool; extra calls fail unless allowed, and then score the share matched', async () => {
    const spec = assert.toolCalls({ expect: [{ name: 'search' }, { name: 'get_weather' }] })
    expect((await run(spec, [search])).reason).toBe('1/2 expected calls matched, 1 made; missing call to get_weather (called: search)')
    const extra = await run(assert.toolCalls({ expect: [{ name: 'search' }] }), [search, { name: 'delete_account', arguments: {} }])
    expect(extra).toEqual({ pass: false, score: 0.667, reason: '1/1 expected calls matched, 2 made; unknown tool delete_account called (call 2; expected only search)' })
    const allowed = await run(assert.toolCalls({ expect: [{ name: 'search' }, { name: 'get_weather' }], allowExtra: true }), [search, { name: 'delete_account', arguments: {} }])
    expect(allowed).toMatchObject({ pass: false, score: 0.5 })
    expect((await run(assert.toolCalls({ expect: [{ name: 'search' }], allowExtra: true }), [search, search])).reason).toBe('1/1 expected calls made: search (also called: search)')
  })

  it('with order exact, needs the calls in that order', async () => {
    const spec = assert.toolCalls({ expect: [{ name: 'search' }, { name: 'get_weather' }], order: 'exact' })
    expect((await run(spec, [search, weather('Paris')])).pass).toBe(true)
    const swapped = await run(spec, [weather('Paris'), search])
    expect(swapped.pass).toBe(false)
    expect(swapped.reason).toBe('1/2 expected calls matched, 2 made; search is called out of order: expected search, get_weather, got get_weather, search')
    expect((await run(assert.toolCalls({ expect: [{ name: 'search' }, { name: 'get_weather' }], order: 'exact', allowExtra: true }), [search, search, weather('Paris')])).pass).toBe(true)
  })

  it('expects no call with expect: [], and names arguments the model did not write as JSON', async () => {
    expect(await run(assert.toolCalls({ expect: [] }), [])).toEqual({ pass: true, score: 1, reason: 'no tool was called' })
    expect((await run(assert.toolCalls({ expect: [] }), [search])).reason).toContain('unknown tool search called')
    const broken = await run(assert.toolCalls({ expect: [{ name: 'search' }] }), [{ name: 'search', arguments: {}, invalidArguments: '{"query": "umb' }])
    expect(broken.reason).toContain('call 1 search: arguments are not a JSON object: {"query": "umb')
  })

  it('refuses a malformed expectation with the fix', () => {
    expect(() => assert.toolCalls({} as never)).toThrow('assert.toolCalls(): needs expect, an array of calls.')
    expect(() => assert.toolCalls({ expect: [{ name: '' }] })).toThrow("expect[0] needs the tool's name")
    expect(() => assert.toolCalls({ expect: [{ name: 'a', args: 'x' as never }] })).toThrow('expect[0].args must be a schema or an object')
    expect(() => assert.toolCalls({ expect: [], order: 'sorted' as never })).toThrow('order must be "any" or "exact"')
  })
})

describe('assert.similar with method embedding', () => {
  it('embeds the answer and the reference in one call and scores their cosine, naming model, score and minimum', async () => {
    const requests: unknown[] = []
    const embed = async (request: { input: string[] }) => {
      requests.push(request)
      return [[3, 4], [4, 3]]
    }
    const spec = assert.similar({ method: 'embedding', model: 'nomic-embed-text', min: 0.9 })
    const result = await evaluateAssertion(spec, contextFor('The cat sleeps.', { reference: 'A feline naps.', embed }))
    expect(result).toEqual({ pass: true, score: 0.96, reason: 'cosine similarity 0.96 >= 0.9 (embeddings of nomic-embed-text)' })
    expect(requests).toEqual([{ provider: undefined, model: 'nomic-embed-text', input: ['The cat sleeps.', 'A feline naps.'] }])
    expect(describeAssertion(spec)).toBe('similar (embedding, nomic-embed-text) >= 0.9 to the reference')
    const opposite = await evaluateAssertion(spec, contextFor('x', { reference: 'y', embed: async () => [[1, 0], [-1, 0]] }))
    expect(opposite).toEqual({ pass: false, score: 0, reason: 'cosine similarity -1 < 0.9 (embeddings of nomic-embed-text)' })
  })

  it('needs a model, and takes model and provider only with method embedding', () => {
    expect(() => assert.similar({ method: 'embedding' })).toThrow('method "embedding" needs the embedding model')
    expect(() => assert.similar({ model: 'nomic-embed-text' })).toThrow('model and provider are for method "embedding", not "rouge-l"')
  })
})
