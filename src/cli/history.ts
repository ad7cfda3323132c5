import { parseDuration } from '../config/duration.js'
import type { CliContext } from './context.js'
import { AssayError } from '../errors.js'
import type { HistoryRecord } from '../history/record.js'
import { HistoryStore } from '../history/store.js'
import { terminalLine } from '../output/index.js'
import { configFromFlags, stringFilters } from './flags.js'
import type { Flags } from './options.js'
import { printOut } from './terminal.js'

const SPARKS = '▁▂▃▄▅▆▇█'

/**
 * `assay history`: per eval (and variant) and template version, the runs in the window and how the
 * pass rate moved; `--json` prints the records themselves.
 */
export async function historyCommand(filters: unknown[], flags: Flags, context: CliContext): Promise<number> {
  const config = await configFromFlags(flags, context)
  if (!config.history) {
    throw new AssayError('ASSAY_USAGE', 'Run history is off (history.enabled: false in the config).', { file: config.configFile, fix: 'Remove enabled: false, or pass --history-file <path> to read a history file.' })
  }
  // Both checked when the flags were parsed (options.ts).
  const since = flags.since === undefined ? undefined : parseDuration(flags.since)
  const pattern = flags.testNamePattern === undefined ? undefined : new RegExp(flags.testNamePattern)
  const wanted = stringFilters(filters)
  const from = since === undefined ? undefined : Date.now() - since
  const store = new HistoryStore(config.root, config.history)
  const { records, skipped } = await store.read(
    (entry) =>
      (wanted.length === 0 || wanted.some((filter) => entry.file.includes(filter))) &&
      (pattern === undefined || pattern.test(entry.eval)) &&
      (from === undefined || Date.parse(entry.time) >= from),
  )
  if (flags.json) {
    printOut(`${JSON.stringify(records, null, 2)}\n`)
    return 0
  }
  const out = printOut
  const runs = new Set(records.map((entry) => entry.run)).size
  const window = flags.since === undefined ? 'all time' : `the last ${flags.since}`
  out(`\n HISTORY ${config.history}: ${runs} run${runs === 1 ? '' : 's'} in ${window}${skipped > 0 ? ` (${skipped} unreadable line${skipped === 1 ? '' : 's'} skipped)` : ''}\n`)
  if (records.length === 0) {
    out(`\n No records${wanted.length > 0 || pattern ? ' match the filters' : ''}. Each \`assay run\` appends one per eval.\n\n`)
    return 0
  }
  for (const entries of groupBy(records, (entry) => `${entry.eval}\u0000${entry.variant ?? ''}`).values()) {
    const first = entries[0]!
    out(`\n ${terminalLine(first.eval)}${first.variant === null ? '' : ` [${terminalLine(first.variant)}]`}  ${terminalLine(first.file)}\n`)
    for (const versions of groupBy(entries, (entry) => entry.template ?? 'task').values()) out(`   ${describeVersion(versions)}\n`)
  }
  out('\n')
  return 0
}

/** One template version's runs: count, pass rate first to last with the change, a sparkline, the last run. */
function describeVersion(entries: HistoryRecord[]): string {
  const first = entries[0]!
  const last = entries.at(-1)!
  const change = last.passRate - first.passRate
  const moved = entries.length < 2 ? '' : ` → ${percent(last.passRate)} (${change >= 0 ? '+' : '−'}${(Math.abs(change) * 100).toFixed(1)} points)`
  const spark = entries.slice(-20).map((entry) => SPARKS[Math.min(SPARKS.length - 1, Math.floor(entry.passRate * SPARKS.length))]).join('')
  const score = last.meanScore === null ? '' : `, score ${last.meanScore.toFixed(2)}`
  const latency = last.latencyP50 === null ? '' : `, p50 ${Math.round(last.latencyP50)} ms`
  const commit = last.git ? ` @ ${last.git.commit.slice(0, 7)}${last.git.dirty ? '+dirty' : ''}` : ''
  const runs = `${entries.length} run${entries.length === 1 ? '' : 's'}`
  return `${terminalLine(first.template ?? 'task')}${first.model === null ? '' : ` (${terminalLine(first.model)})`}  ${runs}  pass ${percent(first.passRate)}${moved}${score}${latency}  ${spark}  last ${last.time.slice(0, 16).replace('T', ' ')}${commit}`
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item])
  return groups
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`
}
