import { writeFileStreamed } from '../../atomic-write.js'
import { gitHead } from '../../git.js'
import type { CaseResult, RunResults } from '../../results/types.js'
import { CaseSpool } from '../spool.js'
import type { EvalRef, Reporter, RunPreparation, RunStart } from '../types.js'
import type { PageRows } from './data.js'

/**
 * Writes `index.html`: one self-contained page that opens from disk. The page's code is imported,
 * and git asked for the commit, while the run goes on (from `prepare`), not on the way to the
 * first call; the rows of cases that end while calls are in flight are rendered then (spool.ts).
 */
export class HtmlReporter implements Reporter {
  private commit: Promise<string | undefined> | undefined
  private page: Promise<typeof import('./page.js')> | undefined
  /** The run's row renderer, once the page's code has loaded; rows rendered ahead share its table of strings. */
  private rows: PageRows | undefined
  private samples = 0
  private readonly spool = new CaseSpool(
    (entry, index) => this.rows!.text(entry, index),
    () => this.rows !== undefined,
  )

  constructor(
    private readonly file: string,
    private readonly root: string,
  ) {}

  /** A watch run reuses the reporter: each run asks git again. */
  onRunStart(start: RunStart): void {
    this.commit = undefined
    this.rows = undefined
    this.samples = start.samples
    this.spool.start(start.activity)
  }

  prepare(run?: RunPreparation): void {
    // The short hash, from the run's one lookup; merge-reports, which has no run, asks here.
    this.commit ??= (run ? run.git.head() : gitHead(this.root)).then((head) => head?.short, () => undefined)
    this.page ??= import('./page.js')
    // Awaited in onRunEnd; a run that never gets there (Ctrl-C twice) must not report it as unhandled.
    // Rows are cut to the cap of the samples planned; the end renders them again if the run had another count.
    if (run) this.page.then(({ PageRows, textCapFor }) => (this.rows ??= new PageRows(textCapFor(this.samples))), () => undefined)
    else this.page.catch(() => undefined)
  }

  onCasesInOrder(evalRef: EvalRef, results: readonly CaseResult[]): void {
    this.spool.add(evalRef, results)
  }

  async onRunEnd(results: RunResults): Promise<void> {
    this.prepare()
    const [{ writePage }, git] = await Promise.all([this.page!, this.commit!])
    const options = { git, generatedAt: new Date().toISOString() }
    const rows = this.rows
    const ahead = rows && { rows, copy: this.spool.copy.bind(this.spool) }
    try {
      await writeFileStreamed(this.file, (write) => writePage(results, options, write, ahead))
    } finally {
      this.spool.close()
    }
  }
}
