import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { writeFileStreamed } from '../../atomic-write.js'
import type { RunResults } from '../../results/types.js'
import type { Reporter } from '../types.js'

/**
 * Writes `index.html`: one self-contained page that opens from disk. The page's code is imported,
 * and git asked for the commit, while the run goes on (from `prepare`), not on the way to the
 * first call.
 */
export class HtmlReporter implements Reporter {
  private commit: Promise<string | undefined> | undefined
  private page: Promise<typeof import('./page.js')> | undefined

  constructor(
    private readonly file: string,
    private readonly root: string,
  ) {}

  /** A watch run reuses the reporter: each run asks git again. */
  onRunStart(): void {
    this.commit = undefined
  }

  prepare(): void {
    this.commit ??= gitCommit(this.root)
    this.page ??= import('./page.js')
    // Awaited in onRunEnd; a run that never gets there (Ctrl-C twice) must not report it as unhandled.
    this.page.catch(() => undefined)
  }

  async onRunEnd(results: RunResults): Promise<void> {
    this.prepare()
    const [{ writePage }, git] = await Promise.all([this.page!, this.commit!])
    const options = { git, generatedAt: new Date().toISOString() }
    await writeFileStreamed(this.file, (write) => writePage(results, options, write))
  }
}

/** The checked-out commit, when the project is a git repository and git is installed. */
async function gitCommit(root: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, timeout: 2000 })
    return stdout.trim() || undefined
  } catch {
    return undefined
  }
}
