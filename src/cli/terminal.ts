import { formatWithOptions } from 'node:util'
import { Redactor, terminalOutput } from '../output/index.js'

/**
 * stdout and stderr as every command writes them: configured secrets redacted (once the config is
 * loaded; before that there are none to know), control characters shown, workflow commands
 * defused. `command` is the github reporter's way to emit its own workflow commands, whose
 * untrusted parts it escaped itself.
 */
let redactor = Redactor.none

/** Called once the config is resolved: from then on its secrets are redacted from every line. */
export function redactOutput(next: Redactor): void {
  redactor = next
}

export function printOut(text: string): void {
  process.stdout.write(terminalOutput(redactor.text(text)))
}

export function printErr(text: string): void {
  process.stderr.write(terminalOutput(redactor.text(text)))
}

/** A workflow command line built by the github reporter: redacted, not defused. */
export function printCommand(line: string): void {
  process.stdout.write(redactor.text(line))
}

/**
 * console.* from eval files, user code, handlebars' `{{log}}` and libraries goes the same way, so
 * nothing reaches the terminal around the guard.
 */
export function guardConsole(): void {
  const out = (...args: unknown[]) => printOut(`${formatWithOptions({ colors: false }, ...args)}\n`)
  const err = (...args: unknown[]) => printErr(`${formatWithOptions({ colors: false }, ...args)}\n`)
  Object.assign(console, { log: out, info: out, debug: out, warn: err, error: err, trace: err })
}
