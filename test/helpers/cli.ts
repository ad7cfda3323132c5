import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const bin = fileURLToPath(new URL('../../bin/assay.js', import.meta.url))

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs the built CLI as a child process (asynchronously: a loopback server in the test process
 * must keep answering). Colour and CI come only from `env`, so output is the same on every machine.
 */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env }
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: options.cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/** Output with the machine's paths and timings replaced, for exact comparisons. */
export function normalize(text: string, root: string): string {
  return text
    .replaceAll(root, '<root>')
    .replace(/\b\d+(\.\d+)?m?s\b/g, '<time>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
}

/** Starts the CLI without waiting, for tests that signal or kill it mid-run. */
export function startCli(args: string[], options: { cwd: string; env?: Record<string, string> }): { child: ChildProcess; done: Promise<CliRun> } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env }
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr })))
  return { child, done }
}

/** Waits until `text` appears in a growing output after `from`; returns where it ends. */
export async function until(read: () => string, text: string, from: number): Promise<number> {
  for (let waited = 0; waited < 15_000; waited += 25) {
    const at = read().indexOf(text, from)
    if (at >= 0) return at + text.length
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`"${text}" never appeared in:\n${read().slice(from)}`)
}
