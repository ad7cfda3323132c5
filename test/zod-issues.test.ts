import { describe, expect, it } from 'vitest'
import { userConfigSchema } from '../src/config/schema.js'
import { evalSpecSchema } from '../src/discovery/spec.js'
import { templateFileSchema } from '../src/templates/schema.js'
import { fewParses, formatIssues } from '../src/zod-issues.js'
import type { z } from 'zod'

/** What the run does with a value: the parsed data, or the issues as the user reads them. */
function outcome(schema: z.ZodType, value: unknown, options: { jitless: boolean }): unknown {
  const parsed = schema.safeParse(value, options)
  return parsed.success ? { data: parsed.data } : { issues: formatIssues(parsed.error) }
}

const cases: [string, z.ZodType, unknown[]][] = [
  [
    'the config',
    userConfigSchema,
    [
      { include: ['evals/**/*.eval.ts'], cache: { enabled: false }, concurrency: 8 },
      { include: [], concurency: 8, cache: { ttl: '3 parsecs' }, providers: { vllm: { type: 'openai' } } },
      { ollama: { host: 'http://a:1', hosts: ['http://b:2'] }, reporters: ['html', 'pdf'] },
    ],
  ],
  [
    'an eval spec',
    evalSpecSchema,
    [
      { template: 'news/summarise', model: 'm', cases: 'golden/items.jsonl', assert: [], threshold: 0.9 },
      { template: 3, model: 'm', cases: [{ vars: 'x' }], threshold: 2, repeat: -1, unknown: true },
    ],
  ],
  [
    'a template file',
    templateFileSchema,
    [
      { version: '1', system_prompt: 'Be brief.', user_prompt_template: 'Summarise {{text}}', variables: [{ text: 'str' }] },
      { version: '1', user_prompt_template: '', variables: [{ a: 'str', b: 'int' }], active: 'yes', extra: 1 },
    ],
  ],
]

describe('fewParses', () => {
  it("skips zod's generated fast path for a schema's first 16 parses, then uses it", () => {
    const schema = templateFileSchema.extend({})
    const modes = Array.from({ length: 18 }, () => fewParses(schema).jitless)
    expect(modes).toEqual([...Array<boolean>(16).fill(true), false, false])
  })

  for (const [name, schema, values] of cases) {
    it(`gives ${name} the same data and the same issues with and without the fast path`, () => {
      for (const value of values) {
        // The fast path is generated on a schema's first parse with it, so each order is checked.
        const without = outcome(schema, value, { jitless: true })
        const withFastPath = outcome(schema, value, { jitless: false })
        expect(withFastPath).toEqual(without)
        expect(outcome(schema, value, { jitless: true })).toEqual(without)
      }
      expect(values.some((value) => 'issues' in (outcome(schema, value, { jitless: true }) as object))).toBe(true)
    })
  }
})
