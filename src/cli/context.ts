import type { OutputStream } from './terminal.js'

/**
 * What a command reads from its process, passed in: `main` fills it from `process`, and a test
 * gives its own folder, environment and captured streams to run a command in-process.
 */
export interface CliContext {
  cwd: string
  env: NodeJS.ProcessEnv
  stdout: OutputStream
  stderr: OutputStream
}
