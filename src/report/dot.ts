import type { CaseResult, RunResults } from '../results/types.js'
import { ConsoleReporter, type ConsoleOptions } from './console.js'
import type { Reporter, RunStart } from './types.js'

const PER_LINE = 80

/** A character per case (· passed, x failed, ! error), then the failing evals and the totals. */
export class DotReporter implements Reporter {
  private readonly summary: ConsoleReporter
  private column = 0

  constructor(private readonly options: ConsoleOptions) {
    this.summary = new ConsoleReporter({ ...options, progress: false })
  }

  onRunStart(start: RunStart): void {
    this.summary.onRunStart(start)
  }

  onCaseEnd(_evalName: string, result: CaseResult): void {
    this.options.write(result.status === 'pass' ? '·' : result.status === 'fail' ? 'x' : '!')
    if (++this.column % PER_LINE === 0) this.options.write('\n')
  }

  onRunEnd(results: RunResults): void {
    this.options.write('\n\n')
    for (const result of results.evals) if (result.status !== 'pass') this.summary.onEvalEnd(result)
    this.summary.onRunEnd(results)
  }
}
