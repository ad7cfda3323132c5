import { readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { z } from 'zod'
import { writeFileAtomic } from '../atomic-write.js'
import { AssayError } from '../errors.js'
import { evalSlug } from '../results/files.js'
import type { EvalResult } from '../results/types.js'
import { formatIssues } from '../zod-issues.js'

export const BASELINE_SCHEMA_VERSION = 1

const sampleSchema = z.object({
  status: z.enum(['pass', 'fail', 'error']),
  assertions: z.array(z.object({ name: z.string(), score: z.number(), pass: z.boolean() })).optional(),
  calls: z.array(z.object({ purpose: z.enum(['answer', 'judge', 'embedding']), latencyMs: z.number(), completionTokens: z.number().optional() })),
})

export const baselineSchema = z.object({
  schema: z.literal(BASELINE_SCHEMA_VERSION),
  eval: z.string(),
  savedAt: z.string(),
  assayVersion: z.string(),
  passRate: z.number(),
  cases: z.array(z.object({ id: z.string(), variant: z.string().optional(), status: z.enum(['pass', 'fail', 'error']), samples: z.array(sampleSchema) })),
})

/** Accepted per-case results of one eval, committed under `golden/baselines/`. */
export type Baseline = z.infer<typeof baselineSchema>

export function baselinePath(dir: string, evalName: string): string {
  return join(dir, `${evalSlug(evalName)}.json`)
}

/** Keeps what regression checks compare (verdicts, scores, call figures), not the outputs. */
export function toBaseline(result: EvalResult, savedAt: string, assayVersion: string): Baseline {
  return {
    schema: BASELINE_SCHEMA_VERSION,
    eval: result.name,
    savedAt,
    assayVersion,
    passRate: result.passRate,
    cases: result.cases.map((entry) => ({
      id: entry.id,
      ...(entry.variant === undefined ? {} : { variant: entry.variant }),
      status: entry.status,
      samples: entry.samples.map((sample) => ({
        status: sample.status,
        ...(sample.status === 'error' ? {} : { assertions: sample.assertions.map(({ name, sharedName, score, pass }) => ({ name: sharedName ?? name, score, pass })) }),
        calls: sample.calls.map(({ purpose, latencyMs, completionTokens }) => ({ purpose, latencyMs, ...(completionTokens === undefined ? {} : { completionTokens }) })),
      })),
    })),
  }
}

export async function writeBaseline(root: string, dir: string, baseline: Baseline): Promise<string> {
  const file = baselinePath(dir, baseline.eval)
  await writeFileAtomic(join(root, file), `${JSON.stringify(baseline, null, 2)}\n`)
  return file
}

/** The eval's baseline, or undefined when none was saved. */
export async function readBaseline(root: string, dir: string, evalName: string): Promise<Baseline | undefined> {
  const file = baselinePath(dir, evalName)
  let text: string
  try {
    text = await readFile(join(root, file), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  let parsed
  try {
    parsed = baselineSchema.safeParse(JSON.parse(text))
  } catch (error) {
    throw new AssayError('ASSAY_BASELINE_INVALID', `The baseline is not valid JSON: ${(error as Error).message}.`, { file, fix: 'Restore it from git, or save it again with `assay baseline save`.' })
  }
  if (!parsed.success) {
    throw new AssayError('ASSAY_BASELINE_INVALID', `The baseline is invalid: ${formatIssues(parsed.error)}.`, { file, fix: 'Restore it from git, or save it again with `assay baseline save`.' })
  }
  return parsed.data
}
