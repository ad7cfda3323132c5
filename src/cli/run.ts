import { createReporters } from '../report/index.js'
import { runEvals } from '../runner/run.js'
import { AssayError } from '../errors.js'
import { configFromFlags, stringFilters, wholeNumber } from './flags.js'
import type { CliFlags } from './index.js'

export async function runCommand(filters: unknown[], flags: CliFlags): Promise<number> {
  const config = await configFromFlags(flags)
  const reporters = createReporters(config.reporters, {
    root: config.root,
    reportsDir: config.reportsDir,
    write: (text) => process.stdout.write(text),
    color: useColor(process.stdout, process.env),
  })
  if (!flags.untilSignificant && (flags.maxCases !== undefined || flags.batch !== undefined)) {
    throw new AssayError('ASSAY_USAGE', '--max-cases and --batch only work with --until-significant.', { fix: 'Add --until-significant, or drop them.' })
  }
  const untilSignificant = flags.untilSignificant
    ? { maxCases: wholeNumber('--max-cases', flags.maxCases) ?? Number.MAX_SAFE_INTEGER, batch: wholeNumber('--batch', flags.batch) ?? 10, alpha: 0.05 }
    : undefined
  const results = await runEvals({
    config,
    reporters,
    filters: stringFilters(filters),
    namePattern: flags.testNamePattern,
    baselineVariant: flags.baselineVariant,
    checkBaseline: flags.baseline === true,
    untilSignificant,
  })
  return results.status === 'pass' ? 0 : 1
}

/** Colour on a terminal unless NO_COLOR is set; FORCE_COLOR turns it on anywhere. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined
}
