import { z } from 'zod'
import { RECORD_MODES } from './words.js'

// The results.json a later command reads back (--failed, --resume, compare, baseline save,
// merge-reports, fixtures prune), checked field by field where those commands read it: cases,
// samples, calls, counts, the shard's order. Comparisons, baseline checks and aggregates are
// recomputed by whoever needs them, so they are checked as objects only. Objects are loose:
// fields a newer assay adds are kept, not stripped. `| undefined` fields are optional (JSON
// drops undefined).

const counts = z.looseObject({ cases: z.number(), passed: z.number(), failed: z.number(), errored: z.number() })
const templateRef = z.looseObject({ name: z.string(), version: z.string(), file: z.string() })

const call = z.looseObject({
  purpose: z.enum(['answer', 'judge']),
  key: z.string(),
  source: z.enum(['fixture', 'cache', 'live']),
  fixture: z.string().optional(),
  provider: z.string().optional(),
  model: z.string(),
  latencyMs: z.number(),
  firstTokenMs: z.number().optional(),
  promptTokens: z.number().optional(),
  completionTokens: z.number().optional(),
  cutShort: z.string().optional(),
  retries: z.number(),
})

const sampleBase = {
  index: z.number(),
  prompt: z.looseObject({ system: z.string(), user: z.string(), examples: z.number() }).optional(),
  calls: z.array(call),
  attempts: z.number(),
  cutShort: z.string().optional(),
  durationMs: z.number(),
}

const outcome = z.looseObject({
  kind: z.string(),
  name: z.string(),
  pass: z.boolean(),
  score: z.number(),
  reason: z.string(),
  weight: z.number(),
  advisory: z.boolean(),
})

const sample = z.discriminatedUnion('status', [
  z.looseObject({ ...sampleBase, status: z.enum(['pass', 'fail']), output: z.string(), score: z.number(), assertions: z.array(outcome) }),
  z.looseObject({
    ...sampleBase,
    status: z.literal('error'),
    output: z.string().optional(),
    error: z.looseObject({ code: z.string().optional(), message: z.string(), file: z.string().optional(), fix: z.string().optional() }),
  }),
])

const caseResult = z.looseObject({
  id: z.string(),
  variant: z.string().optional(),
  name: z.string().optional(),
  vars: z.record(z.string(), z.unknown()),
  reference: z.string().optional(),
  tags: z.array(z.string()).optional(),
  status: z.enum(['pass', 'fail', 'error']),
  repeats: z.looseObject({ passed: z.number(), total: z.number() }),
  flaky: z.boolean(),
  samples: z.array(sample),
})

const evalResult = z.looseObject({
  name: z.string(),
  file: z.string(),
  status: z.enum(['pass', 'fail']),
  threshold: z.number(),
  passRate: z.number(),
  model: z.string().optional(),
  template: templateRef.optional(),
  repeat: z.number(),
  durationMs: z.number(),
  counts,
  metrics: z.looseObject({}),
  suggestions: z.array(z.looseObject({ trigger: z.string(), advice: z.array(z.string()) })),
  variants: z.array(z.looseObject({ name: z.string(), status: z.enum(['pass', 'fail']), passRate: z.number(), model: z.string().optional(), template: templateRef.optional(), counts })).optional(),
  comparisons: z.array(z.looseObject({ baseline: z.string(), variant: z.string(), metric: z.string() })),
  sequential: z.looseObject({}).optional(),
  baseline: z.looseObject({ status: z.enum(['missing', 'checked']), file: z.string() }).optional(),
  cases: z.array(caseResult),
})

const usage = z.looseObject({ promptTokens: z.number(), completionTokens: z.number(), modelMs: z.number() })

export const runResultsSchema = z.looseObject({
  schemaVersion: z.number(),
  assayVersion: z.string(),
  status: z.enum(['pass', 'fail']),
  interrupted: z.boolean(),
  selection: z.looseObject({ filters: z.array(z.string()), namePattern: z.string().optional() }),
  shard: z
    .looseObject({
      index: z.number(),
      count: z.number(),
      evalOrder: z.array(z.string()),
      caseOrder: z.record(z.string(), z.record(z.string(), z.number())),
      baselines: z.record(z.string(), z.string().optional()),
    })
    .optional(),
  startedAt: z.string(),
  durationMs: z.number(),
  record: z.enum(RECORD_MODES),
  summary: z.looseObject({
    evals: z.looseObject({ total: z.number(), passed: z.number(), failed: z.number() }),
    cases: counts.omit({ cases: true }).extend({ total: z.number() }),
    calls: z.looseObject({ total: z.number(), fixture: z.number(), cache: z.number(), live: z.number() }),
    usage: z.looseObject({ live: usage, replayed: usage }),
  }),
  evals: z.array(evalResult),
})
