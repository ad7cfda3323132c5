import { resolve } from 'pathe'
import { resolveConfig } from '../config/load.js'
import type { ResolvedConfig } from '../config/schema.js'
import { AssayError } from '../errors.js'
import { Redactor } from '../output/index.js'
import { redactOutput } from './terminal.js'

/** Flags shared by the commands that select evals. */
export interface CliFlags {
  testNamePattern?: string
  record?: string
  concurrency?: string | number
  repeat?: string | number
  baselineVariant?: string
  baseline?: boolean
  margin?: string | number
  untilSignificant?: boolean
  reporter?: string | string[]
  shard?: string
  watch?: boolean
  flaky?: boolean
  failed?: boolean
  retryErrors?: boolean
  resume?: boolean
  dryRun?: boolean
  cache?: boolean
  cacheTtl?: string
  outputDir?: string
  maxCases?: string | number
  batch?: string | number
  config?: string
  root?: string
  historyFile?: string
  since?: string
  json?: boolean
  coverage?: boolean
}

export async function configFromFlags(flags: CliFlags): Promise<ResolvedConfig> {
  const root = resolve(process.cwd(), flags.root ?? '.')
  const config = await resolveConfig(root, {
    configFile: flags.config,
    record: flags.record,
    concurrency: wholeNumber('--concurrency', flags.concurrency),
    repeat: wholeNumber('--repeat', flags.repeat),
    regressionMargin: share('--margin', flags.margin),
    reportsDir: flags.outputDir,
    cache: flags.cache,
    cacheTtl: flags.cacheTtl === undefined ? undefined : String(flags.cacheTtl),
    historyFile: flags.historyFile === undefined ? undefined : String(flags.historyFile),
  })
  redactOutput(new Redactor(config.redact))
  return config
}

export function wholeNumber(flag: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined
  const number = typeof value === 'number' ? value : Number(value)
  if (!Number.isInteger(number) || number < 1) {
    throw new AssayError('ASSAY_USAGE', `${flag} takes a whole number of at least 1, got "${value}".`, { fix: `Write ${flag} 4, for example.` })
  }
  return number
}

function share(flag: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined
  const number = typeof value === 'number' ? value : Number(value)
  if (!(number >= 0 && number <= 1)) {
    throw new AssayError('ASSAY_USAGE', `${flag} takes a share from 0 to 1, got "${value}".`, { fix: `Write ${flag} 0.05 for five points.` })
  }
  return number
}

export function stringFilters(filters: unknown[]): string[] {
  return filters.map(String)
}
