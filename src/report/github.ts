import { githubData as data, githubProperty as property } from '../output/index.js'
import type { EvalResult } from '../results/types.js'
import type { Reporter } from './types.js'
import { caseLabel, failingReasons } from '../results/labels.js'

const MAX_CASES_PER_EVAL = 5

/**
 * GitHub Actions workflow commands: an `::error` annotation on the eval file for each failing
 * eval and its first failing cases, and a `::warning` for a passing eval that has failing cases.
 */
export class GithubActionsReporter implements Reporter {
  constructor(private readonly write: (text: string) => void) {}

  onEvalEnd(result: EvalResult): void {
    const failing = result.cases.filter((entry) => entry.status !== 'pass')
    if (result.status === 'pass' && failing.length === 0) return
    const level = result.status === 'pass' ? 'warning' : 'error'
    const headline = `${result.counts.passed}/${result.counts.cases} cases passed (threshold ${(result.threshold * 100).toFixed(0)}%)`
    this.write(`::${level} file=${property(result.file)},title=${property(`assay: ${result.name}`)}::${data(headline)}\n`)
    if (level === 'warning') return
    for (const entry of failing.slice(0, MAX_CASES_PER_EVAL)) {
      const sample = entry.samples.find((candidate) => candidate.status !== 'pass')
      const reason = !sample ? '' : sample.status === 'error' ? sample.error.message : failingReasons(sample).join('; ')
      this.write(`::error file=${property(result.file)},title=${property(`${result.name} > ${caseLabel(entry)}`)}::${data(reason)}\n`)
    }
  }
}
