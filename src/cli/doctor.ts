import { formatAssayError, isAssayError, AggregateAssayError } from '../errors.js'
import type { Finding } from '../doctor/checks.js'
import { runDoctor } from '../doctor/run.js'
import { liveProviders } from '../runner/live.js'
import type { CliContext } from './context.js'
import { configFromFlags, stringFilters } from './flags.js'
import type { Flags } from './options.js'
import { printOut } from './terminal.js'

const MARK = { ok: '✓', note: '-', problem: '✗' } as const

/** `assay doctor`: one line per check; exit 0 when nothing would stop a run, else 1 with each problem and its fix. */
export async function doctorCommand(filters: unknown[], flags: Flags, context: CliContext): Promise<number> {
  let findings: Finding[]
  let record = ''
  try {
    const config = await configFromFlags(flags, context)
    record = ` (record: ${config.record})`
    findings = await runDoctor(config, { filters: stringFilters(filters), namePattern: flags.testNamePattern }, liveProviders(config, undefined, context.env))
  } catch (error) {
    // A config or selection mistake is the first problem, not a crash.
    const mistakes = error instanceof AggregateAssayError ? error.errors : isAssayError(error) ? [error] : undefined
    if (!mistakes) throw error
    findings = mistakes.map((mistake) => {
      const [text = '', fix] = formatAssayError(mistake).split('\n  Fix: ')
      return { status: 'problem', text, fix }
    })
  }
  printOut(`\nassay doctor${record}\n\n`)
  for (const finding of findings) {
    const fix = finding.status === 'problem' && finding.fix ? `. Fix: ${finding.fix.replace(/\.$/, '')}` : ''
    printOut(`  ${MARK[finding.status]} ${finding.text}${fix}\n`)
  }
  const problems = findings.filter((finding) => finding.status === 'problem').length
  printOut(problems === 0 ? '\nAll good: nothing found that would stop a run.\n\n' : `\n${problems} problem${problems === 1 ? '' : 's'} to fix before a run.\n\n`)
  return problems === 0 ? 0 : 1
}
