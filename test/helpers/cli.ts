import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { main as Main } from '../../src/cli/index.js'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const bin = fileURLToPath(new URL('../../bin/assay.js', import.meta.url))
/** The built CLI (test/global-setup.ts builds it), which vitest.config.ts leaves to Node to load. */
const builtCli = new URL('../../dist/cli.js', import.meta.url).href

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

const IN_PROCESS_ENV = ['OLLAMA_HOST', 'CI', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR']

/**
 * Runs the built CLI in this process: dist/cli.js's `main`, the code bin/assay.js runs, loaded
 * once per test file by Node itself (no per-file transform of src/), with the workspace as its
 * folder, only `env` as its environment (colour and CI come from nowhere else, so output is the
 * same on every machine), and its output captured. What needs a process of its own (signals, the lock, watch, bin/assay.js,
 * API keys read at call time) uses spawnCli or startCli.
 */
export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  // The CLI reads these from the environment it is given; eval files, user code and the providers'
  // API keys read the real process.env, so a test that sets anything else needs a process.
  const unread = Object.keys(options.env ?? {}).filter((name) => !IN_PROCESS_ENV.includes(name))
  if (unread.length > 0) throw new Error(`runCli cannot set ${unread.join(', ')} in-process; use spawnCli`)
  let stdout = ''
  let stderr = ''
  const { main } = (await import(builtCli)) as { main: typeof Main }
  const code = await main(['node', 'assay', ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  })
  return { code, stdout, stderr }
}

/**
 * Runs the built CLI as a child process (asynchronously: a loopback server in the test process
 * must keep answering). Colour and CI come only from `env`, so output is the same on every machine.
 */
export function spawnCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
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
