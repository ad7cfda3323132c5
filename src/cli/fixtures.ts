import { join } from 'pathe'
import { checkFixtures, removeFiles, unusedFixtures } from '../recording/check.js'
import { AssayError } from '../errors.js'
import { RESULTS_FILE, resultsFile } from '../results/files.js'
import { readResults } from '../results/read.js'
import type { RunResults } from '../results/types.js'
import type { CliContext } from './context.js'
import { configFromFlags } from './flags.js'
import type { Flags } from './options.js'
import { printOut } from './terminal.js'

/** `assay fixtures check` (exit 1 on an invalid fixture) and `assay fixtures prune`. */
export async function fixturesCommand(action: string, flags: Flags, context: CliContext): Promise<number> {
  if (action !== 'check' && action !== 'prune') {
    throw new AssayError('ASSAY_USAGE', `Unknown fixtures action "${action}".`, { fix: 'Use `assay fixtures check` or `assay fixtures prune`.' })
  }
  const config = await configFromFlags(flags, context)
  const check = await checkFixtures(config.root, config.fixturesDir)
  const last = await lastFullRun(config.root, config.reportsDir)
  const used = last.run
    ? new Set(last.run.evals.flatMap((e) => e.cases.flatMap((c) => c.samples.flatMap((s) => s.calls.flatMap((call) => (call.fixture === undefined ? [] : [call.fixture]))))))
    : undefined
  const unused = used ? unusedFixtures(check.files, used) : []
  const out = printOut
  if (action === 'check') {
    out(`${check.files.length} fixture${check.files.length === 1 ? '' : 's'} in ${config.fixturesDir}/\n`)
    for (const { file, problem } of check.invalid) out(`  invalid  ${file}: ${problem}\n`)
    for (const file of check.leftovers) out(`  leftover ${file} (an unfinished write; safe to delete, prune removes it)\n`)
    if (used) for (const file of unused) out(`  unused   ${file}\n`)
    else out(`  (unused fixtures are listed after a full run: ${last.why})\n`)
    out(`\n${check.invalid.length} invalid, ${used ? unused.length : '?'} unused, ${check.leftovers.length} leftover\n`)
    return check.invalid.length > 0 ? 1 : 0
  }
  if (!used) {
    throw new AssayError('ASSAY_USAGE', `Prune needs a full run to know which fixtures are used: ${last.why}.`, { fix: 'Run `assay run` with no filters (in replay or new mode), then prune.' })
  }
  await removeFiles(config.root, [...unused, ...check.leftovers])
  out(`removed ${unused.length} unused fixture${unused.length === 1 ? '' : 's'} and ${check.leftovers.length} leftover file${check.leftovers.length === 1 ? '' : 's'}\n`)
  return 0
}

/** The last results.json, if it records a run of every eval that completed with no errors. */
async function lastFullRun(root: string, reportsDir: string): Promise<{ run?: RunResults; why: string }> {
  let run: RunResults
  try {
    run = await readResults(resultsFile(root, reportsDir), join(reportsDir, RESULTS_FILE))
  } catch {
    return { why: `there is no ${reportsDir}/results.json` }
  }
  if (run.interrupted) return { why: 'the last run was interrupted' }
  // Results written before selection was recorded cannot prove they were a full run.
  if (!run.selection || run.selection.filters.length > 0 || run.selection.namePattern) return { why: 'the last run was filtered' }
  if (run.summary.cases.errored > 0) return { why: 'the last run had errors, so some calls never happened' }
  return { run, why: '' }
}
