import { existsSync } from 'node:fs'
import { relative, resolve } from 'pathe'
import { AssayError } from '../errors.js'
import { importModule } from '../import-module.js'
import { literalPattern } from '../output/redact.js'
import { formatIssues } from '../zod-issues.js'
import { parseDuration } from './duration.js'
import { configDefaults, CONFIG_FILE_NAMES, reliabilityDefaults } from './defaults.js'
import { RECORD_MODES, userConfigSchema, type RecordMode, type ResolvedConfig, type UserConfig } from './schema.js'

/** What the command line may set on top of the config file. */
export interface ConfigOverrides {
  configFile?: string
  record?: string
  concurrency?: number
  repeat?: number
  regressionMargin?: number
  reportsDir?: string
  /** `--no-cache` */
  cache?: boolean
  /** `--cache-ttl 1d` */
  cacheTtl?: string
  /** `--history-file <path>` */
  historyFile?: string
}

/** Precedence, lowest first: defaults, config file, environment (`CI`, `OLLAMA_HOST`), flags. */
export async function resolveConfig(
  root: string,
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedConfig> {
  const configPath = findConfigFile(root, overrides.configFile)
  const fileConfig = configPath ? await loadConfigFile(root, configPath) : {}
  const record = resolveRecordMode(fileConfig, overrides.record, env)
  checkPositiveInt('--concurrency', overrides.concurrency)
  checkPositiveInt('--repeat', overrides.repeat)
  return {
    root,
    configFile: configPath ? relative(root, configPath) : undefined,
    include: fileConfig.include ?? [...configDefaults.include],
    exclude: fileConfig.exclude ?? [...configDefaults.exclude],
    templatesDir: fileConfig.templatesDir ?? configDefaults.templatesDir,
    fixturesDir: fileConfig.fixturesDir ?? configDefaults.fixturesDir,
    reportsDir: overrides.reportsDir ?? fileConfig.reportsDir ?? configDefaults.reportsDir,
    baselinesDir: fileConfig.baselinesDir ?? configDefaults.baselinesDir,
    regressionMargin: overrides.regressionMargin ?? fileConfig.regressionMargin ?? configDefaults.regressionMargin,
    record,
    concurrency: overrides.concurrency ?? fileConfig.concurrency ?? configDefaults.concurrency,
    repeat: overrides.repeat ?? fileConfig.repeat,
    reporters: fileConfig.reporters ?? [...configDefaults.reporters],
    cache: resolveCache(fileConfig, overrides),
    redact: [...(fileConfig.redact?.patterns ?? []).map((pattern) => compileRedaction(pattern)), ...secretPatterns(fileConfig, env)],
    limits: { answerBytes: fileConfig.limits?.answerBytes ?? configDefaults.answerBytes },
    history: overrides.historyFile ?? (fileConfig.history?.enabled === false ? undefined : (fileConfig.history?.path ?? configDefaults.historyFile)),
    coverage: { templates: fileConfig.coverage?.templates },
    ollama: {
      hosts: hostsFrom(fileConfig, env),
      timeoutMs: fileConfig.ollama?.timeoutMs ?? reliabilityDefaults.timeoutMs,
      retries: fileConfig.ollama?.retries ?? reliabilityDefaults.retries,
    },
    providers: resolveProviders(fileConfig, overrides.concurrency, fileConfig.concurrency ?? configDefaults.concurrency),
  }
}

/** Named providers with defaults filled in; `--concurrency` beats a provider's own, which beats the run's. */
function resolveProviders(config: UserConfig, flag: number | undefined, fallback: number): ResolvedConfig['providers'] {
  const resolved: ResolvedConfig['providers'] = {}
  for (const [name, provider] of Object.entries(config.providers ?? {})) {
    const common = {
      concurrency: flag ?? provider.concurrency ?? fallback,
      timeoutMs: provider.timeoutMs ?? reliabilityDefaults.timeoutMs,
      retries: provider.retries ?? reliabilityDefaults.retries,
    }
    resolved[name] =
      provider.type === 'openai'
        ? { type: 'openai', hosts: provider.baseURLs ?? [provider.baseURL!], apiKeyEnv: provider.apiKeyEnv, headers: provider.headers ?? {}, stream: provider.stream ?? true, ...common }
        : { type: 'ollama', hosts: provider.hosts ?? [provider.host!], ...common }
  }
  return resolved
}

/** Secrets shorter than this are placeholders ("EMPTY", "none"), not keys; redacting them would mangle answers. */
const MIN_SECRET_LENGTH = 8
/** Headers whose values are credentials. */
const SECRET_HEADER = /auth|key|token|secret|cookie/i

/**
 * The providers' API keys and credential headers, as literal patterns: redacted from everything stored
 * even when the config names no patterns.
 */
function secretPatterns(config: UserConfig, env: NodeJS.ProcessEnv): RegExp[] {
  const secrets = Object.values(config.providers ?? {}).flatMap((provider) =>
    provider.type === 'openai'
      ? [provider.apiKeyEnv === undefined ? undefined : env[provider.apiKeyEnv], ...Object.entries(provider.headers ?? {}).filter(([name]) => SECRET_HEADER.test(name)).map(([, value]) => value)]
      : [],
  )
  return [...new Set(secrets)]
    .filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH)
    .map(literalPattern)
}

/** A redaction pattern, always global, so every occurrence goes. */
function compileRedaction(pattern: string | RegExp): RegExp {
  let compiled: RegExp
  try {
    compiled = pattern instanceof RegExp ? new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`) : new RegExp(pattern, 'g')
  } catch (error) {
    throw new AssayError('ASSAY_CONFIG_INVALID', `redact.patterns has an invalid pattern "${String(pattern)}": ${(error as Error).message}.`, {
      fix: 'Write a valid regular expression, e.g. "sk-[A-Za-z0-9]{20,}".',
    })
  }
  // A pattern that matches nothing at all would put [REDACTED] between every two characters.
  if (new RegExp(compiled.source, compiled.flags.replace('g', '')).test('')) {
    throw new AssayError('ASSAY_CONFIG_INVALID', `redact.patterns has a pattern that matches empty text: "${String(pattern)}".`, {
      fix: 'Make it match the secret itself, e.g. "sk-[A-Za-z0-9]+" rather than "sk-[A-Za-z0-9]*|".',
    })
  }
  return compiled
}

function resolveCache(config: UserConfig, overrides: ConfigOverrides): ResolvedConfig['cache'] {
  if (overrides.cache === false || config.cache?.enabled === false) return undefined
  const ttl = overrides.cacheTtl ?? config.cache?.ttl ?? configDefaults.cacheTtl
  const ttlMs = parseDuration(ttl)
  if (ttlMs === undefined) {
    throw new AssayError('ASSAY_USAGE', `--cache-ttl "${ttl}" is not a duration.`, { fix: 'Write a number with a unit: 90m, 12h, 1d or 4w.' })
  }
  return { dir: config.cache?.dir ?? configDefaults.cacheDir, ttlMs, maxEntries: config.cache?.maxEntries ?? configDefaults.cacheMaxEntries }
}

/** Config hosts, else OLLAMA_HOST (a comma-separated list is several servers), else the default. */
function hostsFrom(config: UserConfig, env: NodeJS.ProcessEnv): string[] {
  if (config.ollama?.hosts) return config.ollama.hosts
  if (config.ollama?.host) return [config.ollama.host]
  const fromEnv = env.OLLAMA_HOST?.split(',').map((host) => host.trim()).filter(Boolean) ?? []
  return fromEnv.length > 0 ? fromEnv : [configDefaults.ollamaHost]
}

/** `CI` set to anything but "" / "0" / "false" means replay: CI must never call a model. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase()
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
}

function resolveRecordMode(config: UserConfig, flag: string | undefined, env: NodeJS.ProcessEnv): RecordMode {
  if (flag !== undefined) {
    if (!(RECORD_MODES as readonly string[]).includes(flag)) {
      throw new AssayError('ASSAY_USAGE', `--record "${flag}" is not a record mode.`, {
        fix: `Use one of ${RECORD_MODES.join(', ')}.`,
      })
    }
    return flag as RecordMode
  }
  return config.record ?? (isCI(env) ? 'replay' : 'new')
}

function checkPositiveInt(flag: string, value: number | undefined): void {
  if (value === undefined) return
  if (!Number.isInteger(value) || value < 1) {
    throw new AssayError('ASSAY_USAGE', `${flag} must be a whole number of at least 1, got "${value}".`, {
      fix: `Pass ${flag} 4, for example.`,
    })
  }
}

function findConfigFile(root: string, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) {
    const path = resolve(root, explicit)
    if (!existsSync(path)) {
      throw new AssayError('ASSAY_USAGE', `The config file "${explicit}" does not exist.`, {
        fix: 'Check the path given to --config, or drop the flag to use assay.config.ts when present.',
      })
    }
    return path
  }
  return CONFIG_FILE_NAMES.map((name) => resolve(root, name)).find((path) => existsSync(path))
}

async function loadConfigFile(root: string, path: string): Promise<UserConfig> {
  const file = relative(root, path)
  let mod: Record<string, unknown>
  try {
    mod = await importModule(path)
  } catch (error) {
    throw new AssayError('ASSAY_CONFIG_LOAD_FAILED', `The config file could not be loaded: ${(error as Error).message}`, {
      file,
      fix: 'Fix the error above; the file must `export default defineConfig({ ... })`.',
      cause: error,
    })
  }
  if (mod.default === undefined) {
    throw new AssayError('ASSAY_CONFIG_INVALID', 'The config file has no default export.', {
      file,
      fix: "Add `export default defineConfig({ ... })` (import defineConfig from 'assay').",
    })
  }
  const parsed = userConfigSchema.safeParse(mod.default)
  if (!parsed.success) {
    throw new AssayError('ASSAY_CONFIG_INVALID', `Invalid config: ${formatIssues(parsed.error)}.`, {
      file,
      fix: 'Correct or remove the field named; docs/config.md lists every key and its type.',
    })
  }
  return parsed.data
}
