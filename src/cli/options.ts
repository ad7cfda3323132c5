import { CONFIG_FILE_NAMES, configDefaults, configLimits, initDefaults, sequentialDefaults } from '../config/defaults.js'
import { parseDuration } from '../config/duration.js'
import { mergeLayers, type ConfigLayer } from '../config/layers.js'
import { AssayError } from '../errors.js'
import { blobFile, RESULTS_FILE } from '../results/files.js'
import { RECORD_MODES, REPORTER_NAMES, type RecordMode, type ReporterName } from '../results/words.js'
import { parseShard, type Shard } from '../runner/shard.js'

/** Every flag once parsed and checked: what the command handlers read. */
export interface Flags {
  config?: string
  root?: string
  testNamePattern?: string
  record?: RecordMode
  concurrency?: number
  repeat?: number
  baselineVariant?: string
  baseline?: boolean
  margin?: number
  cache?: boolean
  cacheTtl?: string
  reporter?: ReporterName[]
  outputDir?: string
  failed?: boolean
  retryErrors?: boolean
  resume?: boolean
  dryRun?: boolean
  flaky?: boolean
  watch?: boolean
  shard?: Shard
  untilSignificant?: boolean
  maxCases?: number
  batch?: number
  historyFile?: string
  coverage?: boolean
  since?: string
  json?: boolean
  dir?: string
  model?: string
  ci?: string
}

/** A flag without a value (`--baseline`, or `--no-cache`, whose value is false). */
interface Switch {
  flag: string
  description: string
  short?: string
  /** The config keys it sets, in the config file's shape: the flags' layer over file and environment. */
  sets?: (on: boolean) => ConfigLayer
}

/** A flag with a value, parsed (and checked) from the text after it. */
interface Valued<V> {
  flag: string
  argument: string
  description: string
  short?: string
  /** What the help shows after "(default: …)"; read from config/defaults.ts wherever the default is a value. */
  default?: string
  parse: (text: string, flag: string) => V
  /** Given more than once, the values are joined (`--reporter dot --reporter json`); other flags take one. */
  repeatable?: boolean
  sets?: (value: V) => ConfigLayer
}

type Option<V> = NonNullable<V> extends boolean ? Switch : Valued<NonNullable<V>>

/** Any entry of the table, as the code that walks it reads one. */
type AnyOption = Switch | (Omit<Valued<unknown>, 'sets'> & { sets?: (value: never) => ConfigLayer })

/**
 * Every flag of every command, once: name, argument, description, default, parser, and the config
 * key it sets. The help text and cac's registration are generated from here, so a default shown
 * in `--help` is the default the code uses.
 */
export const OPTIONS: { [Key in keyof Flags]-?: Option<Flags[Key]> } = {
  config: { flag: '--config', argument: '<path>', description: 'Config file', default: `${CONFIG_FILE_NAMES[0]} in the root, if present`, parse: text },
  root: { flag: '--root', argument: '<dir>', description: 'Project root', default: 'the current directory', parse: text },
  testNamePattern: { flag: '--testNamePattern', short: '-t', argument: '<pattern>', description: 'Only evals whose name matches this regular expression', parse: pattern },
  record: {
    flag: '--record',
    argument: '<mode>',
    description: RECORD_MODES.join(' | '),
    default: `replay when CI is set, else ${configDefaults.record}`,
    parse: oneOf(RECORD_MODES, 'a record mode', (flag, modes) => `Use one of ${modes}.`),
    sets: (record) => ({ record }),
  },
  concurrency: {
    flag: '--concurrency',
    argument: '<n>',
    description: 'Model calls in flight per server, for every provider',
    default: String(configDefaults.concurrency),
    parse: wholeNumber(configLimits.concurrency),
    sets: (concurrency) => ({ concurrency }),
  },
  repeat: { flag: '--repeat', argument: '<n>', description: 'Samples per case, overriding each eval', default: "the eval's repeat, or 1", parse: wholeNumber(configLimits.repeat), sets: (repeat) => ({ repeat }) },
  baselineVariant: { flag: '--baseline-variant', argument: '<name>', description: 'The variant others are compared against', default: 'the first declared', parse: text },
  baseline: { flag: '--baseline', description: 'Compare each eval with its saved baseline; fail on a significant regression beyond the margin' },
  margin: {
    flag: '--margin',
    argument: '<share>',
    description: `Pass-rate drop tolerated by --baseline, e.g. ${configDefaults.regressionMargin} for ${configDefaults.regressionMargin * 100} points`,
    default: String(configDefaults.regressionMargin),
    parse: share,
    sets: (regressionMargin) => ({ regressionMargin }),
  },
  cache: { flag: '--no-cache', description: `Skip the local response cache (${configDefaults.cacheDir}) for this run`, sets: (on) => (on ? {} : { cache: { enabled: false } }) },
  cacheTtl: {
    flag: '--cache-ttl',
    argument: '<duration>',
    description: 'How long cached answers stay usable: 90m, 1d, 4w',
    default: configDefaults.cacheTtl,
    parse: duration('90m, 12h, 1d or 4w'),
    sets: (ttl) => ({ cache: { ttl } }),
  },
  reporter: {
    flag: '--reporter',
    argument: '<name>',
    description: `${REPORTER_NAMES.join(' | ')}; repeat or comma-separate`,
    default: configDefaults.reporters.join(', '),
    parse: reporterNames,
    repeatable: true,
    sets: (reporters) => ({ reporters }),
  },
  outputDir: { flag: '--outputDir', argument: '<dir>', description: 'Where report files go', default: configDefaults.reportsDir, parse: text, sets: (reportsDir) => ({ reportsDir }) },
  failed: { flag: '--failed', description: `Run again only the cases that did not pass in the last ${configDefaults.reportsDir}/${RESULTS_FILE}` },
  retryErrors: { flag: '--retry-errors', description: 'Run again only the cases that could not be judged (server down, timeout) last time' },
  resume: { flag: '--resume', description: 'Continue an interrupted run: keep the finished cases, run the rest' },
  dryRun: { flag: '--dry-run', description: 'Count the model calls a run would make, how many are recorded, and the prompt tokens; call nothing' },
  flaky: { flag: '--flaky', description: 'With --repeat: list the cases whose repeats disagree, and exit 0' },
  watch: { flag: '--watch', description: 'Run, then rerun the evals a saved eval file, template, partial or cases file affects' },
  shard: {
    flag: '--shard',
    argument: '<i/n>',
    description: `Run one share of the cases (e.g. 2/4) and write ${configDefaults.reportsDir}/${blobFile(2, 4)} for merge-reports`,
    parse: (value) => parseShard(value),
  },
  untilSignificant: { flag: '--until-significant', description: 'Evals with variants add cases in batches until a group-sequential test settles pass rate' },
  maxCases: { flag: '--max-cases', argument: '<n>', description: 'With --until-significant: stop after this many cases', default: 'all', parse: wholeNumber() },
  batch: { flag: '--batch', argument: '<n>', description: 'With --until-significant: cases added per look', default: String(sequentialDefaults.batch), parse: wholeNumber() },
  historyFile: {
    flag: '--history-file',
    argument: '<path>',
    description: 'Append the run history here',
    default: `${configDefaults.historyFile}, or history.path in the config`,
    parse: text,
    // A history file named on the command line is used even when the config turns history off.
    sets: (path) => ({ history: { enabled: true, path } }),
  },
  coverage: { flag: '--coverage', description: 'Also list every template version, active or not, and the evals that use it' },
  since: { flag: '--since', argument: '<duration>', description: 'Only runs in this window: 12h, 7d, 4w', default: 'all', parse: duration('12h, 7d or 4w') },
  json: { flag: '--json', description: 'Print the records as a JSON array' },
  dir: { flag: '--dir', argument: '<dir>', description: 'The folder, as a flag (same as [dir])', parse: text },
  model: { flag: '--model', argument: '<name>', description: 'The Ollama model the first eval runs on', default: `${initDefaults.model}; asked on a terminal`, parse: text },
  ci: { flag: '--ci', argument: '<kind>', description: 'github: also write .github/workflows/assay.yml, which replays fixtures (asked on a terminal)', parse: text },
}

export type FlagName = keyof Flags

/** A flag as a command lists it: the table's entry, or the entry with the command's own wording. */
export type CommandOption = FlagName | [FlagName, { description: string; default?: string }]

const PROJECT: CommandOption[] = ['config', 'root']
const SELECT: CommandOption[] = ['testNamePattern', ...PROJECT]
const RUN: CommandOption[] = [
  ...SELECT,
  'record',
  'concurrency',
  'repeat',
  'baselineVariant',
  'baseline',
  'margin',
  'cache',
  'cacheTtl',
  'reporter',
  'outputDir',
  'failed',
  'retryErrors',
  'resume',
  'dryRun',
  'flaky',
  'watch',
  'shard',
  'untilSignificant',
  'maxCases',
  'batch',
  'historyFile',
]

export type CommandName = 'run' | 'baseline' | 'fixtures' | 'cache' | 'merge-reports' | 'compare' | 'list' | 'history' | 'init' | 'doctor'

/** Every command: how it is written, what it does, and its flags in the order `--help` lists them. */
export const COMMANDS: { name: CommandName; usage: string; description: string; options: CommandOption[] }[] = [
  { name: 'run', usage: '[...filters]', description: 'Run evals (same as `assay run`)', options: RUN },
  { name: 'run', usage: 'run [...filters]', description: 'Run evals; filters keep eval files whose path contains them', options: RUN },
  {
    name: 'baseline',
    usage: 'baseline <action> [...filters]',
    description: `baseline save: accept the last run (${configDefaults.reportsDir}/${RESULTS_FILE}) as the baseline of its evals`,
    options: SELECT,
  },
  {
    name: 'fixtures',
    usage: 'fixtures <action>',
    description: 'fixtures check: validate every fixture and list unused ones; fixtures prune: remove the unused after a full run',
    options: PROJECT,
  },
  {
    name: 'cache',
    usage: 'cache <action>',
    description: 'cache list: entries with hits and age; cache prune: drop expired entries; cache clear: drop all',
    options: [...PROJECT, ['cacheTtl', { description: 'The TTL prune uses', default: `the config, or ${configDefaults.cacheTtl}` }]],
  },
  {
    name: 'merge-reports',
    usage: 'merge-reports [dir]',
    description: `Merge the shard blobs in dir (default: the reports folder, ${configDefaults.reportsDir}/) into the reports one run would write`,
    options: [
      ...PROJECT,
      ['reporter', { description: 'As for run', default: 'the config reporters' }],
      ['outputDir', { description: 'Where the merged reports go', default: configDefaults.reportsDir }],
      ['historyFile', { description: 'Append the merged run to this history file', default: `${configDefaults.historyFile}, or history.path in the config` }],
    ],
  },
  { name: 'compare', usage: 'compare <before> <after>', description: 'Compare two saved results.json files, eval by eval, case by case', options: ['root'] },
  {
    name: 'list',
    usage: 'list [...filters]',
    description: 'List evals with their template, model and case count; checks them (and warns about unused template variables) without calling a model',
    options: [...SELECT, 'coverage'],
  },
  {
    name: 'history',
    usage: 'history [...filters]',
    description: 'Pass rate over time per eval and template version, from the run history',
    options: [...SELECT, 'since', 'json', ['historyFile', { description: 'The history file to read', default: `${configDefaults.historyFile}, or history.path in the config` }]],
  },
  {
    name: 'init',
    usage: 'init [dir]',
    description: 'Start a project in dir (default: here): config, a template, cases, an eval, .gitignore lines; never overwrites a file',
    options: ['dir', 'model', 'ci'],
  },
  {
    name: 'doctor',
    usage: 'doctor [...filters]',
    description:
      'Check what the selected evals need before a call: evals, templates and cases valid, fixtures for replay, each model server up with its models pulled and room for the longest prompt',
    options: [...SELECT, ['record', { description: 'The record mode to check for', default: `replay when CI is set, else ${configDefaults.record}` }]],
  },
]

/** How cac registers one option of a command: `-t, --testNamePattern <pattern>` and its help line. */
export function optionHelp(option: CommandOption): { rawName: string; description: string } {
  const [name, wording] = typeof option === 'string' ? [option, undefined] : option
  const spec: AnyOption = OPTIONS[name]
  const argument = 'argument' in spec ? ` ${spec.argument}` : ''
  const fallback = wording ? wording.default : 'default' in spec ? spec.default : undefined
  return {
    rawName: `${spec.short ? `${spec.short}, ` : ''}${spec.flag}${argument}`,
    description: `${wording?.description ?? spec.description}${fallback === undefined ? '' : ` (default: ${fallback})`}`,
  }
}

/** The flags cac read for a command, each parsed by its table entry; a bad value is a usage error naming the flag. */
export function parseFlags(command: CommandName, raw: Record<string, unknown>): Flags {
  const flags: Record<string, unknown> = {}
  const names = new Set(COMMANDS.filter((entry) => entry.name === command).flatMap((entry) => entry.options.map((option) => (typeof option === 'string' ? option : option[0]))))
  for (const name of names) {
    const value = raw[name]
    if (value === undefined) continue
    const spec: AnyOption = OPTIONS[name]
    if (!('parse' in spec)) {
      flags[name] = value === true || value === 'true'
      continue
    }
    const values = (Array.isArray(value) ? value : [value]).map(String)
    if (values.length > 1 && !spec.repeatable) {
      throw new AssayError('ASSAY_USAGE', `${spec.flag} is given ${values.length} times.`, { fix: `Give ${spec.flag} once.` })
    }
    const parsed = values.map((entry) => spec.parse(entry, spec.flag))
    flags[name] = spec.repeatable ? parsed.flat() : parsed[0]
  }
  return flags as Flags
}

/** The config keys the flags set, as one layer in the config file's shape (config/load.ts layers it last). */
export function flagLayer(flags: Flags): ConfigLayer {
  return mergeLayers(
    (Object.keys(flags) as FlagName[]).map((name) => {
      const spec: AnyOption = OPTIONS[name]
      const value = flags[name]
      return spec.sets === undefined || value === undefined ? {} : spec.sets(value as never)
    }),
  )
}

/** A combination of flags that does not work together: which flags, and what to do instead. */
interface Conflict {
  when: (flags: Flags) => boolean
  message: string
  fix: string
}

/** Every check across flags, in one place; each flag's own value is checked by its parser above. */
const CONFLICTS: Conflict[] = [
  {
    when: (flags) => !flags.untilSignificant && (flags.maxCases !== undefined || flags.batch !== undefined),
    message: '--max-cases and --batch only work with --until-significant.',
    fix: 'Add --until-significant, or drop them.',
  },
  {
    when: (flags) => [flags.failed, flags.retryErrors, flags.resume].filter(Boolean).length > 1,
    message: 'Give one of --failed, --retry-errors and --resume.',
    fix: '--failed already includes the cases that errored.',
  },
  {
    when: (flags) => flags.shard !== undefined && (flags.untilSignificant === true || flags.baseline === true),
    message: '--shard does not combine with --until-significant or --baseline.',
    fix: 'Merge the shards with `assay merge-reports` first; sequential runs decide as they go, so they run unsharded.',
  },
]

export function checkCombinations(flags: Flags): void {
  const conflict = CONFLICTS.find((entry) => entry.when(flags))
  if (conflict) throw new AssayError('ASSAY_USAGE', conflict.message, { fix: conflict.fix })
}

function text(value: string): string {
  return value
}

/** The same check and words as the runner's (runner/select.ts), made as soon as the flag is read. */
function pattern(value: string): string {
  try {
    new RegExp(value)
  } catch (error) {
    throw new AssayError('ASSAY_USAGE', `-t "${value}" is not a valid regular expression: ${(error as Error).message}.`, {
      fix: 'Escape special characters, e.g. -t "writer\\: chapter" or -t "^writer".',
    })
  }
  return value
}

/** A whole number from 1, up to `max` when the config file has a bound for the same key. */
function wholeNumber(max = Infinity): (value: string, flag: string) => number {
  return (value, flag) => {
    const number = Number(value)
    if (value.trim() === '' || !Number.isInteger(number) || number < 1 || number > max) {
      const range = max === Infinity ? 'of at least 1' : `from 1 to ${max}`
      throw new AssayError('ASSAY_USAGE', `${flag} takes a whole number ${range}, got "${value}".`, { fix: `Write ${flag} 4, for example.` })
    }
    return number
  }
}

function share(value: string, flag: string): number {
  const number = Number(value)
  if (value.trim() === '' || !(number >= 0 && number <= 1)) {
    throw new AssayError('ASSAY_USAGE', `${flag} takes a share from 0 to 1, got "${value}".`, { fix: `Write ${flag} 0.05 for five points.` })
  }
  return number
}

function duration(examples: string): (value: string, flag: string) => string {
  return (value, flag) => {
    if (parseDuration(value) === undefined) throw new AssayError('ASSAY_USAGE', `${flag} "${value}" is not a duration.`, { fix: `Write a number with a unit: ${examples}.` })
    return value
  }
}

function oneOf<const T extends string>(words: readonly T[], what: string, fix: (flag: string, words: string) => string): (value: string, flag: string) => T {
  return (value, flag) => {
    if (!(words as readonly string[]).includes(value)) throw new AssayError('ASSAY_USAGE', `${flag} "${value}" is not ${what}.`, { fix: fix(flag, words.join(', ')) })
    return value as T
  }
}

/** `--reporter html,json`, checked against the known names. */
function reporterNames(value: string, flag: string): ReporterName[] {
  return value.split(',').map((entry) => oneOf(REPORTER_NAMES, 'a reporter', () => `Use any of ${REPORTER_NAMES.join(', ')}.`)(entry.trim(), flag))
}
