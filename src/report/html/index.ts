import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { writeFileStreamed } from '../../atomic-write.js'
import type { RunResults } from '../../results/types.js'
import type { Reporter } from '../types.js'

/**
 * Writes `index.html`: one self-contained page that opens from disk. The page's code is imported
 * when the run ends, and git is asked for the commit while the run goes on.
 */
export class HtmlReporter implements Reporter {
  private commit: Promise<string | undefined> | undefined

  constructor(
    private readonly file: string,
    private readonly root: string,
  ) {}

  onRunStart(): void {
    this.commit = gitCommit(this.root)
  }

  async onRunEnd(results: RunResults): Promise<void> {
    const [{ writePage }, git] = await Promise.all([import('./page.js'), this.commit ?? gitCommit(this.root)])
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
