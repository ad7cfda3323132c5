import { join } from 'pathe'
import { toBaseline, writeBaseline } from '../baselines/store.js'
import { AssayError } from '../errors.js'
import { readResults } from '../results/read.js'
import { RESULTS_FILE, resultsFile } from '../results/files.js'
import { assayVersion } from '../version.js'
import { Redactor } from '../output/index.js'
import { printOut } from './terminal.js'
import type { CliContext } from './context.js'
import { configFromFlags, stringFilters } from './flags.js'
import type { Flags } from './options.js'

/** `assay baseline save [filters] [-t pattern]`: the last run's results become the accepted ones. */
export async function baselineCommand(action: string, filters: unknown[], flags: Flags, context: CliContext): Promise<number> {
  if (action !== 'save') {
    throw new AssayError('ASSAY_USAGE', `Unknown baseline action "${action}".`, { fix: 'Use `assay baseline save [filters] [-t pattern]`.' })
  }
  const config = await configFromFlags(flags, context)
  const path = resultsFile(config.root, config.reportsDir)
  const results = await readResults(path, join(config.reportsDir, RESULTS_FILE))
  const wanted = stringFilters(filters)
  const pattern = flags.testNamePattern ? new RegExp(flags.testNamePattern) : undefined
  const evals = results.evals.filter((entry) => (wanted.length === 0 || wanted.some((f) => entry.file.includes(f))) && (!pattern || pattern.test(entry.name)))
  if (evals.length === 0) {
    throw new AssayError('ASSAY_NO_EVALS', 'No eval of the last run matches the filters.', { fix: 'Run `assay list`, or drop the filters.' })
  }
  // A baseline is what later runs are held to: one with no judged case, or cut short, holds them to nothing.
  const unjudged = evals.filter((entry) => entry.counts.cases > 0 && entry.counts.errored === entry.counts.cases)
  if (unjudged.length > 0) {
    throw new AssayError('ASSAY_USAGE', `No case of ${unjudged.map((entry) => `"${entry.name}"`).join(', ')} was judged in the last run: every one errored, so there is nothing to accept. Nothing was saved.`, {
      fix: 'Fix what the errors in reports/ name (a server down, a missing fixture), run again, then save; or leave those evals out with -t.',
    })
  }
  if (results.interrupted) {
    throw new AssayError('ASSAY_USAGE', 'The last run was interrupted, so its results hold only the cases that finished. Nothing was saved.', {
      fix: 'Finish it with `assay run --resume`, then save.',
    })
  }
  const savedAt = new Date().toISOString()
  for (const entry of evals) {
    const file = await writeBaseline(config.root, config.baselinesDir, new Redactor(config.redact).value(toBaseline(entry, savedAt, assayVersion)))
    const errored = entry.counts.errored > 0 ? `, ${entry.counts.errored} errored, not compared` : ''
    printOut(`saved ${file}  (${entry.counts.cases} cases${errored}, pass rate ${(entry.passRate * 100).toFixed(1)}%)\n`)
  }
  printOut(`\nCommit ${config.baselinesDir}/; \`assay run --baseline\` now fails on a significant regression.\n`)
  return 0
}
