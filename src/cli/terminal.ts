import { formatWithOptions } from 'node:util'
import { Redactor, terminalOutput } from '../output/index.js'

/** Where a command writes: the process's stdout and stderr, or a caller's (a test running the CLI in-process). */
export interface OutputStream {
  write(text: string): unknown
  isTTY?: boolean
}

/**
 * stdout and stderr as every command writes them: configured secrets redacted (once the config is
 * loaded; before that there are none to know), control characters shown, workflow commands
 * defused. `command` is the github reporter's way to emit its own workflow commands, whose
 * untrusted parts it escaped itself.
 */
let redactor = Redactor.none
let streams: { stdout: OutputStream; stderr: OutputStream } = process

/** Called once the config is resolved: from then on its secrets are redacted from every line. */
export function redactOutput(next: Redactor): void {
  redactor = next
}

export function printOut(text: string): void {
  streams.stdout.write(terminalOutput(redactor.text(text)))
}

export function printErr(text: string): void {
  streams.stderr.write(terminalOutput(redactor.text(text)))
}

/** A workflow command line built by the github reporter: redacted, not defused. */
export function printCommand(line: string): void {
  streams.stdout.write(redactor.text(line))
}

/**
 * Sends every command's output to these streams, and console.* from eval files, user code,
 * handlebars' `{{log}}` and libraries (cac's help among them) the same way, so nothing reaches the
 * terminal around the guard. The returned function puts the console and streams back and forgets
 * the redactions, for a caller that runs the CLI in its own process.
 */
export function useTerminal(next: { stdout: OutputStream; stderr: OutputStream }): () => void {
  const before = { streams, redactor }
  streams = next
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error, trace: console.trace }
  const out = (...args: unknown[]) => printOut(`${formatWithOptions({ colors: false }, ...args)}\n`)
  const err = (...args: unknown[]) => printErr(`${formatWithOptions({ colors: false }, ...args)}\n`)
  Object.assign(console, { log: out, info: out, debug: out, warn: err, error: err, trace: err })
  return () => {
    streams = before.streams
    redactor = before.redactor
    Object.assign(console, saved)
  }
}
