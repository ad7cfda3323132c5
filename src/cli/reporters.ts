import { AssayError } from '../errors.js'
import { REPORTER_NAMES, type ReporterName } from '../results/words.js'

/** `--reporter html --reporter json` or `--reporter html,json`, checked against the known names. */
export function reporterNames(value: string | string[]): ReporterName[] {
  const names = (Array.isArray(value) ? value : [value]).flatMap((entry) => String(entry).split(',')).map((entry) => entry.trim())
  for (const name of names) {
    if (!(REPORTER_NAMES as readonly string[]).includes(name)) {
      throw new AssayError('ASSAY_USAGE', `--reporter "${name}" is not a reporter.`, { fix: `Use any of ${REPORTER_NAMES.join(', ')}.` })
    }
  }
  return names as ReporterName[]
}

/** Colour on a terminal unless NO_COLOR is set; FORCE_COLOR turns it on anywhere. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined
}
