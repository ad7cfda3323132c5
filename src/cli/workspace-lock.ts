import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join } from 'pathe'
import { AssayError } from '../errors.js'

/** Who holds a lock: enough to name them in the refusal. */
interface Holder {
  pid: number
  host: string
  command: string
  startedAt: string
}

/**
 * One run at a time per set of report files: two runs writing `reports/` at once would leave
 * results.json from one and index.html from the other. The lock is a file created exclusively
 * under `.assay/locks/`, naming the process; a lock whose process is gone (killed, crashed) is
 * taken over. Shards write only their own blob, so each shard has its own lock.
 */
export async function lockReports(root: string, reportsDir: string, shard?: { index: number; count: number }): Promise<() => void> {
  const name = `${reportsDir.replace(/[^A-Za-z0-9._-]+/g, '-')}${shard ? `-shard-${shard.index}-of-${shard.count}` : ''}.lock`
  const file = join(root, '.assay', 'locks', name)
  const me: Holder = { pid: process.pid, host: hostname(), command: `assay ${process.argv.slice(2).join(' ')}`.trim(), startedAt: new Date().toISOString() }
  // Synchronous: a few calls of a few µs each, where the promise API made each a thread-pool
  // round trip on the way to the first model call.
  mkdirSync(dirname(file), { recursive: true })
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = openSync(file, 'wx')
      try {
        writeFileSync(handle, `${JSON.stringify(me)}\n`)
      } finally {
        closeSync(handle)
      }
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error
      const holder = readHolder(file)
      if (holder && isAlive(holder)) {
        throw new AssayError('ASSAY_WORKSPACE_BUSY', `Another assay run is writing ${reportsDir}/ in this workspace: pid ${holder.pid} on ${holder.host}, \`${holder.command}\`, started ${holder.startedAt}.`, {
          file: join('.assay', 'locks', name),
          fix: 'Wait for it to finish (or stop it), or give this run its own --outputDir. If that process is gone, delete the lock file.',
        })
      }
      rmSync(file, { force: true })
    }
  }
  const release = () => {
    process.off('exit', release)
    rmSync(file, { force: true })
  }
  // Also on a hard exit (a second Ctrl-C), so the next run is not refused.
  process.on('exit', release)
  return release
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder
  } catch {
    // Half-written or garbled: its writer died mid-write, so nobody holds it.
    return undefined
  }
}

function isAlive(holder: Holder): boolean {
  // A lock from another machine (a shared folder) cannot be checked: it is taken as held.
  if (holder.host !== hostname()) return true
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
