import { existsSync } from 'node:fs'
import { relative, resolve } from 'pathe'
import { AssayError } from '../errors.js'
import { importModule } from '../import-module.js'
import { literalPattern } from '../output/redact.js'
import { formatIssues, fewParses } from '../zod-issues.js'
import { parseDuration } from './duration.js'
import { mergeLayers, type ConfigLayer } from './layers.js'
import { configDefaults, CONFIG_FILE_NAMES, reliabilityDefaults } from './defaults.js'
import { userConfigSchema, type ResolvedConfig, type UserConfig } from './schema.js'

/** Where settings come from besides the defaults: `file` is an explicit config path (`--config`). */
export type { ConfigLayer }

export interface ConfigSources {
  file?: string
  /** @default process.env */
  env?: NodeJS.ProcessEnv
  /** What the flags set (cli/options.ts builds it from the flags table). */
  flags?: ConfigLayer
}

/** The defaults as the lowest layer: every key that has a default, in the config file's shape. */
const DEFAULT_LAYER: ConfigLayer = {
  include: [...configDefaults.include],
  exclude: [...configDefaults.exclude],
  templatesDir: configDefaults.templatesDir,
  fixturesDir: configDefaults.fixturesDir,
  reportsDir: configDefaults.reportsDir,
  baselinesDir: configDefaults.baselinesDir,
  regressionMargin: configDefaults.regressionMargin,
  record: configDefaults.record,
  concurrency: configDefaults.concurrency,
  reporters: [...configDefaults.reporters],
  cache: { enabled: true, dir: configDefaults.cacheDir, ttl: configDefaults.cacheTtl, maxEntries: configDefaults.cacheMaxEntries },
  limits: { answerBytes: configDefaults.answerBytes },
  history: { enabled: true, path: configDefaults.historyFile },
  ollama: { hosts: [configDefaults.ollamaHost], timeoutMs: reliabilityDefaults.timeoutMs, retries: reliabilityDefaults.retries },
}

/**
 * Layers, lowest first: defaults, the environment's conventions (`CI` means replay, `OLLAMA_HOST`
 * names the servers), the config file, the flags. The environment sits under the file: a project
 * whose config sets a record mode or a host keeps it in CI. Each layer is data in the config
 * file's shape; once merged, the values are read off and the cache TTL turned into milliseconds.
 */
export async function resolveConfig(root: string, sources: ConfigSources = {}): Promise<ResolvedConfig> {
  const env = sources.env ?? process.env
  const flags = sources.flags ?? {}
  const configPath = findConfigFile(root, sources.file)
  const fileConfig = configPath ? await loadConfigFile(root, configPath) : {}
  const merged = mergeLayers([DEFAULT_LAYER, environmentLayer(env), withHostList(fileConfig), flags])
  return {
    root,
    configFile: configPath ? relative(root, configPath) : undefined,
    include: merged.include!,
    exclude: merged.exclude!,
    templatesDir: merged.templatesDir!,
    fixturesDir: merged.fixturesDir!,
    reportsDir: merged.reportsDir!,
    baselinesDir: merged.baselinesDir!,
    regressionMargin: merged.regressionMargin!,
    record: merged.record!,
    concurrency: merged.concurrency!,
    repeat: merged.repeat,
    reporters: merged.reporters!,
    cache: merged.cache!.enabled === false ? undefined : { dir: merged.cache!.dir!, ttlMs: parseDuration(merged.cache!.ttl!)!, maxEntries: merged.cache!.maxEntries! },
    redact: [...(fileConfig.redact?.patterns ?? []).map((pattern) => compileRedaction(pattern)), ...secretPatterns(fileConfig, env)],
    limits: { answerBytes: merged.limits!.answerBytes! },
    history: merged.history!.enabled === false ? undefined : merged.history!.path!,
    coverage: { templates: merged.coverage?.templates },
    ollama: { hosts: merged.ollama!.hosts!, timeoutMs: merged.ollama!.timeoutMs!, retries: merged.ollama!.retries! },
    // `--concurrency` beats a provider's own, which beats the run's.
    providers: resolveProviders(fileConfig, flags.concurrency, merged.concurrency!),
  }
}

/** `CI` set to anything but "" / "0" / "false" means replay; `OLLAMA_HOST` may list several servers, comma-separated. */
function environmentLayer(env: NodeJS.ProcessEnv): ConfigLayer {
  const hosts = env.OLLAMA_HOST?.split(',').map((host) => host.trim()).filter(Boolean) ?? []
  return { record: isCI(env) ? 'replay' : undefined, ollama: hosts.length > 0 ? { hosts } : undefined }
}

/** `ollama.host` written as `ollama.hosts`, so a file's one host replaces the environment's list. */
function withHostList(config: UserConfig): ConfigLayer {
  if (config.ollama?.host === undefined) return config
  const { host, ...ollama } = config.ollama
  return { ...config, ollama: { ...ollama, hosts: [host] } }
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

/** `CI` set to anything but "" / "0" / "false" means replay: CI must never call a model. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase()
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
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
  const parsed = userConfigSchema.safeParse(mod.default, fewParses(userConfigSchema))
  if (!parsed.success) {
    throw new AssayError('ASSAY_CONFIG_INVALID', `Invalid config: ${formatIssues(parsed.error)}.`, {
      file,
      fix: 'Correct or remove the field named; docs/config.md lists every key and its type.',
    })
  }
  return parsed.data
}
