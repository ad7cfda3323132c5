import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The checked-out commit, as the HTML report shows it and the history records it. */
export interface GitState {
  /** The full hash. */
  commit: string
  /** `git rev-parse --short`: the shortest unambiguous prefix, at least 7 characters. */
  short: string
  /** Whether tracked files differ from the commit. */
  dirty: boolean
}

/**
 * The commit `root` is checked out at, or null outside a git checkout or without git. A folder
 * with no `.git` above it (and no GIT_DIR) is answered without starting git: each git process is
 * a fork of this one, a few ms of the run's own time before git even starts.
 */
export async function gitState(root: string, env: NodeJS.ProcessEnv = process.env): Promise<GitState | null> {
  if (env.GIT_DIR === undefined && !insideCheckout(root)) return null
  const [commit, short] = (await git(root, ['rev-parse', 'HEAD', '--short', 'HEAD'], env))?.split('\n') ?? []
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit) || !short || !/^[0-9a-f]{4,64}$/.test(short)) return null
  // Exit 1 means tracked files differ from the commit; nothing is read, however large the change.
  const dirty = await new Promise<boolean>((done) => execFile('git', ['diff', '--quiet', 'HEAD', '--'], { cwd: root, env, timeout: 5000 }, (error) => done(error?.code === 1)))
  return { commit, short, dirty }
}

/**
 * One run's git state, asked for once and only when something needs it (the HTML report, the
 * history): both ask as the run gets under way, and git answers them with one lookup.
 */
export function gitOnce(root: string, env: NodeJS.ProcessEnv = process.env): () => Promise<GitState | null> {
  let state: Promise<GitState | null> | undefined
  return () => (state ??= gitState(root, env).catch(() => null))
}

function git(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((done) => execFile('git', args, { cwd: root, env, timeout: 5000 }, (error, stdout) => done(error ? undefined : stdout)))
}

/** Whether `dir` or a folder above it holds `.git` (a folder, or a worktree's file). */
function insideCheckout(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return true
    if (dirname(current) === current) return false
  }
}
