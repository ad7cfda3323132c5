import { AggregateAssayError, AssayError, formatAssayError, isAssayError } from '../errors.js'
import { printErr } from './terminal.js'

/**
 * Prints a failure and returns the exit code: 2 for a user's mistake (no stack), 1 for a bug.
 * `help` is the help that lists the flags of the command given (`assay list --help`).
 */
export function printFailure(error: unknown, write: (text: string) => void = printErr, help = 'assay --help'): number {
  const mistakes = userMistakes(error, help)
  if (mistakes) {
    const unique = [...new Set(mistakes.map(formatAssayError))]
    const heading = unique.length === 1 ? 'assay: this stops the run:' : `assay: ${unique.length} problems stop the run:`
    write(`\n${heading}\n\n${unique.map((text) => indent(text)).join('\n\n')}\n\n`)
    return 2
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error)
  write(`\nassay: unexpected error (a bug in assay; please report it with this output):\n${stack}\n`)
  return 1
}

function userMistakes(error: unknown, help: string): AssayError[] | undefined {
  if (error instanceof AggregateAssayError) return error.errors
  if (isAssayError(error)) return [error]
  // cac's own errors: an unknown flag, a missing flag value, a missing or extra argument.
  if (error instanceof Error && error.name === 'CACError') {
    return [new AssayError('ASSAY_USAGE', `${error.message}.`, { fix: `Run \`${help}\` for its arguments and flags.` })]
  }
  return undefined
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}
