import { z } from 'zod'
import { configLimits } from '../config/defaults.js'
import type { AssertionSpec } from '../assertions/types.js'
import type { Scorer } from '../assertions/scorer.js'
import { isAssertionSpec } from '../assertions/registry.js'
import type { ChatMessage, ResponseFormat, ThinkSetting } from '../providers/types.js'
import { isMetricName, type MetricName } from '../results/words.js'
import type { ToolInput } from '../providers/tools.js'

/** One input of an eval: the same shape as a line of a golden JSONL file. */
export interface EvalCase {
  name?: string
  vars: Record<string, unknown>
  /** An expected or golden output, for similarity assertions. */
  reference?: string
  tags?: string[]
}

/** What a task's `llm.chat()` takes; the model defaults to the eval's. */
export interface LlmChatRequest {
  /** A provider named in the config; the eval's (or variant's) when left out. */
  provider?: string
  model?: string
  messages: ChatMessage[]
  format?: ResponseFormat
  options?: Record<string, unknown>
  /** The eval's (or variant's) `think` when left out. */
  think?: ThinkSetting
}

/** The recorded-or-live client a task calls, so tasks replay from fixtures like templates do. */
export interface LlmClient {
  chat(request: LlmChatRequest): Promise<{ content: string }>
}

export interface TaskContext {
  vars: Record<string, unknown>
  case: EvalCase
  /** 0-based repeat index. */
  sample: number
  llm: LlmClient
}

export type CasesSource = EvalCase[] | string | (() => EvalCase[] | Promise<EvalCase[]>)

export interface EvalSpec {
  /** `agent/task` for the latest active version, `agent/task@2` to pin one. */
  template?: string
  /** Instead of a template: your own code, calling the model through `llm`. */
  task?: (context: TaskContext) => unknown
  /** A provider named under `providers` in the config; the `ollama` settings when left out. */
  provider?: string
  model?: string
  options?: Record<string, unknown>
  format?: ResponseFormat
  /**
   * Functions the model may call (template evals): `{ name, description?, parameters }` with
   * parameters a JSON schema or a zod schema. `assert.toolCalls()` checks the calls it made.
   */
  tools?: ToolInput[]
  /** Inline cases, a file under the project (JSONL, JSON or YAML), or a function. */
  cases: CasesSource
  /** Samples per case. @default 1 */
  repeat?: number
  /** Assertions from `assert.*()`, or autoevals/evalite scorers as they are. */
  assert?: (AssertionSpec | Scorer)[]
  /** The share of cases that must pass for the eval to pass. @default 1 */
  threshold?: number
  /**
   * Re-ask the model up to N times when a cheap required assertion (length, language, noCJK,
   * printable, json, schema) fails, with the failure reasons appended. Template evals. @default 0
   */
  retryOnFail?: number
  /**
   * `abort-on-fail` stops a streamed answer as soon as a required assertion can no longer pass
   * (over a maximum length, a forbidden script or word). @default 'complete'
   */
  stream?: StreamMode
  /** Few-shot examples from the template, chosen by tag similarity. @default 2 */
  maxExamples?: number
  /**
   * When a case with repeats passes: `passAll` (pass^N), `passAny` (pass@k) or
   * `{ passRate: 0.8 }` (that share of its repeats). @default 'passAll'
   */
  repeatGate?: RepeatGate
  /**
   * Prompt variants to compare: every case (and repeat) runs on every variant, so the comparison
   * is paired. Each overrides the eval's template, model or options. The first is the baseline.
   */
  variants?: Record<string, VariantSpec>
  /**
   * The metric whose verdict decides a comparison of variants: `'pass rate'`, `'score: <assertion
   * name>'`, `'latency ms'` or `'completion tokens'`. The others are secondary (Holm-adjusted
   * among themselves). `--until-significant` watches pass rate only. @default 'pass rate'
   */
  primaryMetric?: MetricName
  /**
   * The smallest difference in the primary metric worth detecting, in its units (a share for pass
   * rate: 0.1 is 10 points). Inside +-this the verdict can read "equivalent"; "about N more
   * cases" is sized to detect it. @default 0.1 for pass rate, 0.05 for a score, 10% of the baseline for latency and tokens
   */
  minimumEffect?: number
  /**
   * Tuning: each option's values to try, e.g. `{ temperature: [0.2, 0.5, 0.8] }`; several options
   * give their grid. Each setting becomes a variant (`temperature=0.5`) with the eval's options plus
   * the setting, compared with the first like any variants. Not together with `variants`.
   */
  sweep?: Record<string, unknown[]>
  /**
   * A thinking model's reasoning: `true`, `false` or a level (`'low' | 'medium' | 'high'`), sent as
   * Ollama's `think`. The thinking text is kept in the results and shown folded in the report;
   * assertions judge only the answer. @default the server's default
   */
  think?: ThinkSetting
}

export interface VariantSpec {
  template?: string
  /** Overrides the eval's provider: compare one model on Ollama with another on vLLM. */
  provider?: string
  model?: string
  options?: Record<string, unknown>
  think?: ThinkSetting
  /** Overrides the eval's tools: compare a prompt with and without a tool. */
  tools?: ToolInput[]
}

export type StreamMode = 'complete' | 'abort-on-fail'

export type RepeatGate = 'passAll' | 'passAny' | { passRate: number }

/** A bigger grid multiplies the calls past what a run can pay for; split it into several evals. */
export const MAX_SWEEP_SETTINGS = 64

const thinkSchema = z.union([z.boolean(), z.enum(['low', 'medium', 'high'])], { message: "expected true, false, 'low', 'medium' or 'high'" })

const functionSchema = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'expected a function',
})

export const evalSpecSchema = z
  .strictObject({
    template: z.string().min(1).optional(),
    task: functionSchema.optional(),
    provider: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    think: thinkSchema.optional(),
    format: z.union([z.literal('json'), z.record(z.string(), z.unknown())]).optional(),
    tools: z.array(z.unknown()).optional(),
    cases: z.union([z.array(z.unknown()), z.string().min(1), functionSchema], {
      message: 'expected an array of cases, a file path or a function',
    }),
    repeat: z.int().min(1).max(configLimits.repeat).optional(),
    assert: z
      .array(
        z.custom<AssertionSpec | Scorer>((value) => isAssertionSpec(value) || typeof value === 'function', {
          message: 'expected an assertion made with assert.*(), or a scorer function',
        }),
      )
      .optional(),
    threshold: z.number().min(0).max(1).optional(),
    retryOnFail: z.int().min(0).max(10).optional(),
    stream: z.enum(['complete', 'abort-on-fail']).optional(),
    maxExamples: z.int().min(0).max(50).optional(),
    repeatGate: z.union([z.enum(['passAll', 'passAny']), z.strictObject({ passRate: z.number().min(0).max(1) })]).optional(),
    variants: z
      .record(
        z.string().min(1),
        z.strictObject({
          template: z.string().min(1).optional(),
          provider: z.string().min(1).optional(),
          model: z.string().min(1).optional(),
          options: z.record(z.string(), z.unknown()).optional(),
          think: thinkSchema.optional(),
          tools: z.array(z.unknown()).optional(),
        }),
      )
      .refine((variants) => Object.keys(variants).length >= 2, 'give at least two variants to compare')
      .optional(),
    primaryMetric: z
      .string()
      .refine(isMetricName, {
        message: "expected 'pass rate', 'score: <assertion name>', 'latency ms' or 'completion tokens'",
      })
      .optional(),
    minimumEffect: z.number().positive().finite().optional(),
    sweep: z
      .record(z.string().min(1), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1, 'give at least one value'))
      .refine((sweep) => Object.keys(sweep).length > 0, 'name at least one option to sweep')
      .refine((sweep) => Object.values(sweep).reduce((size, values) => size * values.length, 1) >= 2, 'give at least two settings to compare')
      .refine((sweep) => Object.values(sweep).reduce((size, values) => size * values.length, 1) <= MAX_SWEEP_SETTINGS, `a sweep runs every case once per setting: keep the grid to ${MAX_SWEEP_SETTINGS} settings or fewer`)
      .refine((sweep) => Object.values(sweep).every((values) => new Set(values.map(String)).size === values.length), 'a value is listed twice')
      .optional(),
  })
  .refine((spec) => spec.sweep === undefined || spec.variants === undefined, {
    message: 'give variants or sweep, not both (a sweep makes its own variants)',
    path: ['sweep'],
  })
  .refine((spec) => spec.task === undefined || Object.values(spec.variants ?? {}).every((variant) => variant.template === undefined), {
    message: 'a task eval cannot take a variant template; vary model or options instead',
    path: ['variants'],
  })
  .refine((spec) => spec.task === undefined || spec.template === undefined, {
    message: 'give either template or task, not both',
  })
  .refine(
    (spec) => spec.task !== undefined || spec.template !== undefined || (spec.variants !== undefined && Object.values(spec.variants).every((variant) => variant.template !== undefined)),
    { message: 'give a template or a task (or a template on every variant)' },
  )
  .refine((spec) => spec.task !== undefined || spec.model !== undefined || (spec.variants !== undefined && Object.values(spec.variants).every((variant) => variant.model !== undefined)), {
    message: 'model is required with a template (e.g. model: "llama3.2")',
    path: ['model'],
  })
