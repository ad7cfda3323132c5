import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { assert } from '../../src/assertions/index.js'
import { extractJson, stripThinking } from '../../src/assertions/json-extract.js'
import { evaluateAssertion } from '../../src/assertions/registry.js'
import type { AssertionSpec } from '../../src/assertions/types.js'
import { contextFor } from '../helpers/assertion-context.js'

const run = (spec: AssertionSpec, output: string) => evaluateAssertion(spec, contextFor(output))

describe('stripThinking', () => {
  it('removes think blocks, a dangling close tag and an unfinished block', () => {
    expect(stripThinking('<think>plan\nmore</think>\nAnswer')).toBe('Answer')
    expect(stripThinking('<THINK>a</THINK>x<think>b</think>y')).toBe('xy')
    expect(stripThinking('reasoning without an opening tag</think>Answer')).toBe('Answer')
    expect(stripThinking('Answer<think>cut off mid-thought')).toBe('Answer')
  })
})

describe('extractJson', () => {
  it('tries the whole answer, a json fence, any fence, then balanced brackets, in that order', () => {
    expect(extractJson('{"a": 1}', 'lenient')).toEqual({ found: true, value: { a: 1 }, strategy: 'whole answer' })
    expect(extractJson('Sure:\n```json\n{"a": 2}\n```\nand ```\n{"a": 3}\n```', 'lenient')).toMatchObject({ value: { a: 2 }, strategy: '```json block' })
    expect(extractJson('Sure:\n```\n[1, 2]\n```', 'lenient')).toMatchObject({ value: [1, 2], strategy: 'fenced block' })
    expect(extractJson('Here it is: {"name": "a } in a string", "n": [1, {"b": 2}]} hope it helps {"x": 1}', 'lenient')).toMatchObject({
      value: { name: 'a } in a string', n: [1, { b: 2 }] },
      strategy: 'first balanced {...} or [...]',
    })
  })

  it('skips a broken candidate and takes the next that parses', () => {
    expect(extractJson('Use {curly} braces like {"ok": true}', 'lenient')).toMatchObject({ value: { ok: true } })
  })

  it('in strict mode accepts only the whole answer', () => {
    expect(extractJson('Here: {"a": 1}', 'strict')).toMatchObject({ found: false, reason: expect.stringMatching(/^the answer is not JSON as a whole/) })
  })

  it('reports empty output and prose without JSON', () => {
    expect(extractJson('  ', 'lenient')).toEqual({ found: false, reason: 'empty output' })
    expect(extractJson('No data today.', 'lenient')).toMatchObject({ found: false, reason: expect.stringMatching(/^no JSON found/) })
  })
})

const Cast = z.object({ characters: z.array(z.object({ name: z.string(), motivation: z.string() })).min(1) })

describe('assert.json and assert.schema', () => {
  it('passes JSON after a <think> block, saying where it was found', async () => {
    expect(await run(assert.json(), '<think>{"draft": true}</think>\n```json\n{"a": 1}\n```')).toEqual({ pass: true, score: 1, reason: 'valid JSON (```json block)' })
  })

  it('validates with zod and lists the failing paths', async () => {
    const answer = 'The cast: {"characters": [{"name": "Juno", "motivation": "to see"}, {"name": 7}]}'
    expect(await run(assert.schema(Cast), answer)).toEqual({
      pass: false,
      score: 0.5,
      reason:
        'JSON does not match the schema: characters[1].name: Invalid input: expected string, received number; characters[1].motivation: Invalid input: expected string, received undefined',
    })
    expect(await run(assert.schema(Cast), '{"characters": [{"name": "Juno", "motivation": "to see"}]}')).toEqual({ pass: true, score: 1, reason: 'matches the schema (whole answer)' })
  })

  it('scores 0 when there is no JSON to validate', async () => {
    expect(await run(assert.schema(Cast), 'I cannot do that.')).toMatchObject({ pass: false, score: 0 })
  })

  it('takes any Standard Schema validator, sync or async', async () => {
    const evenOnly = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: async (value: unknown) => (typeof value === 'number' && value % 2 === 0 ? { value } : { issues: [{ message: 'must be even', path: [] }] }),
      },
    }
    expect((await run(assert.schema(evenOnly), '4')).pass).toBe(true)
    expect(await run(assert.schema(evenOnly), '3')).toMatchObject({ pass: false, reason: 'JSON does not match the schema: (root): must be even' })
  })

  it('refuses something that is not a schema', () => {
    expect(() => assert.schema({} as never)).toThrowError(/zod schema or another Standard Schema/)
  })
})
