import { writeFileStreamed } from '../../atomic-write.js'
import { gitHead } from '../../git.js'
import type { RunResults } from '../../results/types.js'
import type { Reporter, RunPreparation } from '../types.js'

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

  prepare(run?: RunPreparation): void {
    // The short hash, from the run's one lookup; merge-reports, which has no run, asks here.
    this.commit ??= (run ? run.git.head() : gitHead(this.root)).then((head) => head?.short, () => undefined)
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
