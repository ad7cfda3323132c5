import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { writeFileStreamed } from '../../atomic-write.js'
import type { RunResults } from '../../results/types.js'
import type { Reporter } from '../types.js'
import { writePage } from './page.js'

/** Writes `index.html`: one self-contained page that opens from disk. */
export class HtmlReporter implements Reporter {
  constructor(
    private readonly file: string,
    private readonly root: string,
  ) {}

  async onRunEnd(results: RunResults): Promise<void> {
    const options = { git: await gitCommit(this.root), generatedAt: new Date().toISOString() }
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
