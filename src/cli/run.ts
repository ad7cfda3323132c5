import { join } from 'pathe'
import { createReporters } from '../report/index.js'
import { BlobReporter } from '../report/json.js'
import { blobFile, RESULTS_FILE, resultsFile } from '../results/files.js'
import { planRerun, type Rerun } from '../runner/rerun.js'
import type { ResolvedConfig } from '../config/schema.js'
import { runEvals } from '../runner/run.js'
import type { ReporterName } from '../results/words.js'
import { useColor } from './reporters.js'
import { sequentialDefaults } from '../config/defaults.js'
import type { CliContext } from './context.js'
import { configFromFlags, stringFilters } from './flags.js'
import type { Flags } from './options.js'
import { printCommand, printErr, printOut } from './terminal.js'
import { lockReports } from './workspace-lock.js'
import { caseLabel } from '../results/labels.js'

export async function runCommand(filters: unknown[], flags: Flags, context: CliContext): Promise<number> {
  const config = await configFromFlags(flags, context)
  const names = [...config.reporters]
  // GitHub's own convention: annotations whenever the run is inside a GitHub Actions job.
  if (context.env.GITHUB_ACTIONS === 'true' && !names.includes('github')) names.push('github')
  const shard = flags.shard
  const reporters = createReporters(shard ? names.filter((name) => CONSOLE_REPORTERS.includes(name)) : names, {
    root: config.root,
    outputDir: config.reportsDir,
    write: printOut,
    command: printCommand,
    color: useColor(context.stdout, context.env),
    tty: Boolean(context.stdout.isTTY),
  })
  // A shard writes only its blob; `assay merge-reports` writes the reports of the whole run.
  if (shard) reporters.push(new BlobReporter(join(config.root, config.reportsDir, blobFile(shard.index, shard.count))))
  const untilSignificant = flags.untilSignificant
    ? { maxCases: flags.maxCases ?? Number.MAX_SAFE_INTEGER, batch: flags.batch ?? sequentialDefaults.batch, alpha: sequentialDefaults.alpha }
    : undefined
  const rerun = await rerunFromFlags(flags, config)
  if (flags.dryRun) {
    const { dryRunCommand } = await import('./dry-run.js')
    return dryRunCommand(config, { filters: stringFilters(filters), namePattern: flags.testNamePattern })
  }
  // Two runs writing one set of reports would interleave them: the second is refused, naming the first.
  const release = await lockReports(config.root, config.reportsDir, shard)
  try {
    return await runLocked()
  } finally {
    release()
  }

  async function runLocked(): Promise<number> {
    if (flags.watch) {
      const { watchAndRerun } = await import('./watch.js')
      return watchAndRerun(config, async (namePattern) => {
        const results = await runEvals({ config, reporters, filters: stringFilters(filters), namePattern: namePattern ?? flags.testNamePattern, baselineVariant: flags.baselineVariant })
        return results.status === 'pass' ? 0 : 1
      })
    }
    const interrupt = onInterrupt()
    try {
      const results = await runEvals({
        config,
        // The run starts once every eval is loaded and planned; a signal before that has nothing to report.
        reporters: [...reporters, { onRunStart: interrupt.started }],
        filters: stringFilters(filters),
        namePattern: flags.testNamePattern,
        baselineVariant: flags.baselineVariant,
        checkBaseline: flags.baseline === true,
        untilSignificant,
        shard,
        rerun,
        stop: interrupt.stop,
        abortCalls: interrupt.abortCalls,
      })
      if (results.interrupted) return 130
      if (flags.flaky) {
        const flaky = results.evals.flatMap((result) => result.cases.filter((entry) => entry.flaky).map((entry) => ({ result, entry })))
        printOut(`Flaky cases (their repeats disagree): ${flaky.length}\n`)
        for (const { result, entry } of flaky) {
          const share = `${entry.repeats.passed}/${entry.repeats.total} repeats passed (${Math.round((entry.repeats.passed / entry.repeats.total) * 100)}%)`
          printOut(`  ${result.name} > ${caseLabel(entry)}: ${share}\n`)
        }
        return 0
      }
      // A shard holds a sample of each eval's cases: thresholds and verdicts are decided by the
      // merge (the job that owns the gate); a shard fails only on errors.
      if (shard) return results.summary.cases.errored > 0 ? 1 : 0
      return results.status === 'pass' ? 0 : 1
    } finally {
      interrupt.dispose()
    }
  }
}

/** --failed, --retry-errors or --resume (options.ts allows one at most), against the last results.json. */
async function rerunFromFlags(flags: Flags, config: ResolvedConfig): Promise<Rerun | undefined> {
  const modes = ([['failed', flags.failed], ['errors', flags.retryErrors], ['resume', flags.resume]] as const).filter(([, on]) => on === true)
  if (modes.length === 0) return undefined
  // Loaded here: its schema of results.json costs every run start-up time, and only reruns read it.
  const { readResults } = await import('../results/read.js')
  const previous = await readResults(resultsFile(config.root, config.reportsDir), join(config.reportsDir, RESULTS_FILE))
  return planRerun(modes[0]![0], previous)
}

const CONSOLE_REPORTERS: ReporterName[] = ['default', 'verbose', 'dot', 'github']

/** How long calls in flight may finish after Ctrl-C before they are cut off. */
const GRACE_MS = 3000
/** After the first signal, the process ends by then whatever it is doing (reports take well under a second). */
const DEADLINE_MS = 10_000

/**
 * Ctrl-C or SIGTERM: start no new sample, give calls in flight GRACE_MS to finish, then abort
 * them; the run still writes its reports, marked interrupted, and exits 130. A second signal
 * quits at once (fixtures are written atomically, so none is left half-written either way). While
 * eval files and cases are still loading nothing has run, so it quits at once, leaving the last
 * reports as they were (an empty "interrupted" results.json would lose what --failed reads).
 */
function onInterrupt(): { stop: AbortSignal; abortCalls: AbortSignal; started(): void; dispose(): void } {
  const stop = new AbortController()
  const abortCalls = new AbortController()
  let running = false
  const handler = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130)
    if (!running) {
      printErr(`\nassay: ${signal} while loading eval files and cases: nothing has run, so no report is written.\n`)
      process.exit(130)
    }
    printErr(`\nassay: ${signal}: finishing the calls in flight (${GRACE_MS / 1000} s at most), then writing partial reports. Press Ctrl-C again to quit now.\n`)
    stop.abort()
    setTimeout(() => abortCalls.abort(), GRACE_MS).unref()
    // Whatever the run is doing (a call that ignores its abort, writing reports), it ends within seconds.
    setTimeout(() => {
      printErr(`assay: still busy ${DEADLINE_MS / 1000} s after ${signal}; quitting without the partial reports.\n`)
      process.exit(130)
    }, DEADLINE_MS).unref()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    stop: stop.signal,
    abortCalls: abortCalls.signal,
    started: () => {
      running = true
    },
    dispose: () => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    },
  }
}
