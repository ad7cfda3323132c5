import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The checked-out commit, as the HTML report shows it. */
export interface GitHead {
  /** The full hash. */
  commit: string
  /** `git rev-parse --short`: the shortest unambiguous prefix, at least 7 characters. */
  short: string
}

/** The commit and whether tracked files differ from it, as the history records them. */
export interface GitState extends GitHead {
  dirty: boolean
}

/**
 * The commit `root` is checked out at, or null outside a git checkout or without git. A folder
 * with no `.git` above it (and no GIT_DIR) is answered without starting git: each git process is
 * a fork of this one, a few ms of the run's own time before git even starts.
 */
export async function gitHead(root: string, env: NodeJS.ProcessEnv = process.env): Promise<GitHead | null> {
  if (env.GIT_DIR === undefined && !insideCheckout(root)) return null
  const [commit, short] = (await git(root, ['rev-parse', 'HEAD', '--short', 'HEAD'], env))?.split('\n') ?? []
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit) || !short || !/^[0-9a-f]{4,64}$/.test(short)) return null
  return { commit, short }
}

/** The commit and whether the tree is dirty: `git diff --quiet`, which can take a while in a large tree. */
export function gitState(root: string, env: NodeJS.ProcessEnv = process.env): Promise<GitState | null> {
  return gitOnce(root, env).state()
}

/** One run's git lookups: each made once, and only when something needs it. */
export interface GitLookup {
  /** The commit, for the HTML report. */
  head(): Promise<GitHead | null>
  /** The commit and the dirty check, for the history; the commit is the same lookup as head(). */
  state(): Promise<GitState | null>
}

/**
 * The HTML report and the history both ask as the run gets under way: git answers them with one
 * `rev-parse`, and the report does not wait for the dirty check only the history needs.
 */
export function gitOnce(root: string, env: NodeJS.ProcessEnv = process.env): GitLookup {
  let head: Promise<GitHead | null> | undefined
  let state: Promise<GitState | null> | undefined
  const lookup: GitLookup = {
    head: () => (head ??= gitHead(root, env).catch(() => null)),
    state: () => (state ??= lookup.head().then(async (found) => found && { ...found, dirty: await isDirty(root, env) }).catch(() => null)),
  }
  return lookup
}

/** Exit 1 means tracked files differ from the commit; nothing is read, however large the change. */
function isDirty(root: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((done) => execFile('git', ['diff', '--quiet', 'HEAD', '--'], { cwd: root, env, timeout: 5000 }, (error) => done(error?.code === 1)))
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
