/** Defaults for every config key; a project with no config file runs on these. */
export const configDefaults = Object.freeze({
  include: ['**/*.eval.{ts,mts,js,mjs}'],
  exclude: ['**/node_modules/**', '**/dist/**', '**/.git/**', '**/.assay/**'],
  templatesDir: 'evals/templates',
  fixturesDir: 'fixtures',
  reportsDir: 'reports',
  baselinesDir: 'golden/baselines',
  /** Five points of pass rate: the smallest change the example evals can resolve. */
  regressionMargin: 0.05,
  /** Outside CI; with `CI` set the environment's layer makes it `replay` (config/load.ts). */
  record: 'new' as const,
  /** Ollama's own default; many users run one server at a time. */
  concurrency: 2,
  /** Console output, and results.json, junit.xml, index.html and metrics.jsonl under reportsDir. */
  reporters: ['default', 'json', 'junit', 'html', 'metrics'] as const,
  ollamaHost: 'http://127.0.0.1:11434',
  cacheDir: '.assay/cache',
  /** A week: long enough for a prompt-tuning session, short enough that a model update shows. */
  cacheTtl: '7d',
  cacheMaxEntries: 10_000,
  /** limits.answerBytes: a long chapter is ~50 KB; a megabyte is a server that does not stop. */
  answerBytes: 1_000_000,
  /** Local and not committed, like the cache; CI keeps it with `history.path` or `--history-file`. */
  historyFile: '.assay/history.jsonl',
})

/** The largest `concurrency` and `repeat` the config file, an eval and the flags accept. */
export const configLimits = Object.freeze({ concurrency: 1024, repeat: 10_000 })

/** `--until-significant`: cases added per look, and the overall false-positive rate of its looks. */
export const sequentialDefaults = Object.freeze({ batch: 10, alpha: 0.05 })

/** `assay init`: the model the first eval runs on when none is given or asked. */
export const initDefaults = Object.freeze({ model: 'llama3.2' })

/** How hard a provider's host pool tries (providers/pool.ts); `timeoutMs` and `retries` are config keys. */
export const reliabilityDefaults = Object.freeze({
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  timeoutMs: 300_000,
  breakerFailures: 5,
  breakerCooldownMs: 30_000,
})

export const CONFIG_FILE_NAMES = ['assay.config.ts', 'assay.config.mts', 'assay.config.js', 'assay.config.mjs']
