import { z } from 'zod'
import { configLimits } from './defaults.js'
import { RECORD_MODES, REPORTER_NAMES, type RecordMode, type ReporterName } from '../results/words.js'

export { RECORD_MODES, REPORTER_NAMES, type RecordMode, type ReporterName }

/** A provider's name: what evals, variants and judges write as `provider`. */
const providerName = z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'a provider name is letters, digits, "-", "_" or "." (e.g. "vllm")')

const url = z.string().regex(/^https?:\/\/\S+$/i, 'expected an http:// or https:// URL')

/** Settings every provider takes. */
const providerCommon = {
  /** Calls in flight per server; the run's `concurrency` when left out. */
  concurrency: z.int().min(1).max(configLimits.concurrency).optional(),
  timeoutMs: z.int().min(1).optional(),
  retries: z.int().min(0).max(20).optional(),
}

export const providerSchema = z.discriminatedUnion('type', [
  z
    .strictObject({
      type: z.literal('openai'),
      /** Up to and including `/v1`: `http://gpu-1:8000/v1`. */
      baseURL: url.optional(),
      /** Several servers of the same model: calls go to the least busy. */
      baseURLs: z.array(url).min(1).optional(),
      /** The environment variable that holds the API key; the key itself never goes in the config. */
      apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name such as VLLM_API_KEY').optional(),
      /** Extra request headers; never part of a fixture key, never written anywhere. */
      headers: z.record(z.string(), z.string()).optional(),
      /** Server-sent events (with usage via stream_options); false asks for one JSON body. @default true */
      stream: z.boolean().optional(),
      ...providerCommon,
    })
    .refine((provider) => (provider.baseURL === undefined) !== (provider.baseURLs === undefined), { message: 'give baseURL or baseURLs (one of them)' }),
  z
    .strictObject({
      type: z.literal('ollama'),
      host: url.optional(),
      hosts: z.array(url).min(1).optional(),
      ...providerCommon,
    })
    .refine((provider) => (provider.host === undefined) !== (provider.hosts === undefined), { message: 'give host or hosts (one of them)' }),
])

/** The shape of `assay.config.ts`; every key is optional. */
export const userConfigSchema = z.strictObject({
  include: z.array(z.string().min(1)).min(1).optional(),
  exclude: z.array(z.string().min(1)).optional(),
  templatesDir: z.string().min(1).optional(),
  fixturesDir: z.string().min(1).optional(),
  reportsDir: z.string().min(1).optional(),
  baselinesDir: z.string().min(1).optional(),
  regressionMargin: z.number().min(0).max(1).optional(),
  record: z.enum(RECORD_MODES).optional(),
  concurrency: z.int().min(1).max(configLimits.concurrency).optional(),
  repeat: z.int().min(1).max(configLimits.repeat).optional(),
  reporters: z.array(z.enum(REPORTER_NAMES)).min(1).optional(),
  /** Regular expressions whose matches are replaced before a fixture or cache entry is written. */
  redact: z
    .strictObject({
      patterns: z.array(z.union([z.string().min(1), z.instanceof(RegExp)])).min(1),
    })
    .optional(),
  cache: z
    .strictObject({
      enabled: z.boolean().optional(),
      dir: z.string().min(1).optional(),
      /** How long an answer stays usable: `90m`, `1d`, `4w`, or milliseconds. */
      ttl: z.union([z.string().regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d|w)\s*$/i, 'expected a duration such as 90m, 1d or 4w'), z.int().min(0)]).optional(),
      maxEntries: z.int().min(1).optional(),
    })
    .optional(),
  /** Bounds on what a model server may send (docs/security.md). */
  limits: z
    .strictObject({
      /** UTF-8 bytes of one answer (and its thinking) before the stream is stopped and the sample errors. */
      answerBytes: z.int().min(1024).optional(),
    })
    .optional(),
  /** One record per eval (and variant) per run, appended to a JSONL file for `assay history`. */
  history: z
    .strictObject({
      enabled: z.boolean().optional(),
      /** Where the records go, relative to the root; CI can keep it in a cache or an artifact. */
      path: z.string().min(1).optional(),
    })
    .optional(),
  /** Gates on what the evals exercise: `templates: 1` fails a run that leaves an active template version unused. */
  coverage: z
    .strictObject({
      templates: z.number().min(0).max(1).optional(),
    })
    .optional(),
  ollama: z
    .strictObject({
      host: z.string().min(1).optional(),
      /** Several servers: calls go to the least busy, each capped at `concurrency`. */
      hosts: z.array(z.string().min(1)).min(1).optional(),
      timeoutMs: z.int().min(1).optional(),
      retries: z.int().min(0).max(20).optional(),
    })
    .refine((ollama) => ollama.host === undefined || ollama.hosts === undefined, { message: 'give host or hosts, not both' })
    .optional(),
  /** Named model servers that evals, variants and judges choose with `provider: '<name>'`. */
  providers: z.record(providerName, providerSchema).optional(),
})

export type UserConfig = z.infer<typeof userConfigSchema>

/** The configuration a run uses: defaults, then the config file, then flags, all merged. */
export interface ResolvedConfig {
  /** Absolute project root; every relative path below is resolved against it. */
  root: string
  /** The config file that was loaded, relative to root, if any. */
  configFile: string | undefined
  include: string[]
  exclude: string[]
  templatesDir: string
  fixturesDir: string
  reportsDir: string
  baselinesDir: string
  /** Pass-rate drop (a share) tolerated by `--baseline` before a drop can fail the run. */
  regressionMargin: number
  record: RecordMode
  concurrency: number
  repeat: number | undefined
  reporters: ReporterName[]
  /** Patterns redacted from prompts and answers before they are stored; empty for none. */
  redact: RegExp[]
  /** The local response cache in front of live calls; undefined when disabled. */
  cache: { dir: string; ttlMs: number; maxEntries: number } | undefined
  limits: { answerBytes: number }
  ollama: { hosts: string[]; timeoutMs: number; retries: number }
  /** Named providers; calls without `provider` use `ollama` above. */
  providers: Record<string, ResolvedProvider>
  /** The run history file, relative to root; undefined when history is off. */
  history: string | undefined
  /** The least share of active template versions the evals must use; undefined for no gate. */
  coverage: { templates: number | undefined }
}

/** A named provider with every default filled in. The API key is read only when a call needs it. */
export type ResolvedProvider =
  | { type: 'openai'; hosts: string[]; apiKeyEnv: string | undefined; headers: Record<string, string>; stream: boolean; concurrency: number; timeoutMs: number; retries: number }
  | { type: 'ollama'; hosts: string[]; concurrency: number; timeoutMs: number; retries: number }
