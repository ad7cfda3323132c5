import { styleText } from 'node:util'
import { terminalLine, terminalText } from '../output/index.js'
import type { CaseResult, EvalResult, RunResults, SampleResult } from '../results/types.js'
import { coverageSummary } from './coverage.js'
import type { Reporter, RunStart } from './types.js'
import { percent } from '../results/format.js'
import { caseLabel, failingReasons } from '../results/labels.js'

type Style = Parameters<typeof styleText>[0]

export interface ConsoleOptions {
  write: (text: string) => void
  color: boolean
  /** A live progress line (a terminal only). @default false */
  progress?: boolean
  /** List every case, not only the failing ones. @default false */
  verbose?: boolean
  /** Failing cases listed per eval before "and N more". @default 10 */
  maxFailures?: number
  /** The report files the run writes, for the last line. */
  reports?: string[]
  now?: () => number
}

/** How often the progress line is redrawn, at most. */
const PROGRESS_EVERY_MS = 100

/** vitest-like: one line per eval as it finishes, its failing cases with reasons, then totals. */
export class ConsoleReporter implements Reporter {
  private start: (RunStart & { at: number }) | undefined
  private done = 0
  private passed = 0
  private progressShown = false
  private drawnAt = 0

  constructor(private readonly options: ConsoleOptions) {}

  private paint(style: Style, text: string): string {
    return this.options.color ? styleText(style, text) : text
  }

  private get now(): number {
    return (this.options.now ?? performance.now.bind(performance))()
  }

  /** Writes above the progress line, which is redrawn on the next case. */
  private print(text: string): void {
    if (this.progressShown) {
      this.options.write('\x1b[2K\r')
      this.progressShown = false
    }
    this.options.write(text)
  }

  onRunStart(start: RunStart): void {
    const { evals, cases, samples, record } = start
    this.start = { ...start, at: this.now }
    this.done = 0
    this.passed = 0
    const repeats = samples === cases ? '' : `, ${samples} samples`
    const warnings = start.warnings.map((warning) => ` ${this.paint('yellow', 'warning')} ${terminalText(warning)}\n`).join('')
    this.print(`\n ${this.paint('cyan', 'RUN')} ${evals} eval${evals === 1 ? '' : 's'}, ${cases} case${cases === 1 ? '' : 's'}${repeats} ${this.paint('dim', `(record: ${record})`)}\n${warnings}\n`)
  }

  onCaseEnd(_evalName: string, result: CaseResult): void {
    this.done++
    if (result.status === 'pass') this.passed++
    if (!this.options.progress || !this.start) return
    const now = this.now
    if (now - this.drawnAt < PROGRESS_EVERY_MS && this.done < this.start.cases) return
    this.drawnAt = now
    const elapsed = now - this.start.at
    const eta = this.done === 0 ? '' : ` · ETA ${seconds((elapsed / this.done) * (this.start.cases - this.done))}`
    const line = ` ${this.paint('dim', 'cases')} ${this.done}/${this.start.cases} · pass ${percent(this.passed / this.done)} · ${this.start.activity.callsInFlight()} calls in flight${eta}`
    this.options.write(`\x1b[2K\r${line}`)
    this.progressShown = true
  }

  onEvalEnd(result: EvalResult): void {
    const { counts } = result
    const mark = result.status === 'pass' ? this.paint('green', '✓') : this.paint('red', '✗')
    const share = `${counts.passed}/${counts.cases} cases`
    const threshold = result.threshold < 1 || result.status === 'fail' ? ` (${percent(result.passRate)}, threshold ${percent(result.threshold)})` : ''
    let text = ` ${mark} ${terminalLine(result.name)} ${this.paint('dim', terminalLine(result.file))} ${share}${threshold} ${this.paint('dim', seconds(result.durationMs))}\n`
    if (result.variants) text += this.describeVariants(result)
    if (result.baseline) text += this.describeBaseline(result)
    const flaky = result.cases.filter((entry) => entry.flaky)
    if (flaky.length > 0) {
      const listed = flaky.slice(0, 20).map((entry) => `${terminalLine(caseLabel(entry))} (${entry.repeats.passed}/${entry.repeats.total})`)
      text += this.paint('yellow', `     flaky: ${listed.join(', ')}${flaky.length > listed.length ? ` and ${flaky.length - listed.length} more` : ''}\n`)
    }
    // A passing answer to a truncated prompt is the silent failure this line exists for.
    const truncated = result.cases.filter((entry) => entry.samples.some((sample) => sample.calls.some((call) => call.truncated !== undefined)))
    if (truncated.length > 0) {
      const listed = truncated.slice(0, 10).map((entry) => terminalLine(caseLabel(entry)))
      text += this.paint('yellow', `     likely truncated prompts: ${listed.join(', ')}${truncated.length > listed.length ? ` and ${truncated.length - listed.length} more` : ''} (the server counted far fewer prompt tokens than estimated; set options.num_ctx)\n`)
    }
    for (const suggestion of result.suggestions ?? []) text += this.paint('dim', `     suggestion: ${terminalText(`${suggestion.trigger}: ${suggestion.advice.join('; ')}`)}\n`)
    const listed = this.options.verbose ? result.cases : result.cases.filter((entry) => entry.status !== 'pass')
    const shown = this.options.verbose ? listed : listed.slice(0, this.options.maxFailures ?? 10)
    const fixesShown = new Set<string>()
    for (const entry of shown) text += this.describeCase(entry, fixesShown)
    if (listed.length > shown.length) {
      text += this.paint('dim', `     … and ${listed.length - shown.length} more failing cases (see the reports)\n`)
    }
    this.print(text)
  }

  onRunEnd(results: RunResults): void {
    const { evals, cases, calls } = results.summary
    const parts = (entries: [number, string, Style][]) =>
      entries.filter(([count]) => count > 0).map(([count, label, style]) => this.paint(style, `${count} ${label}`)).join(' | ')
    const lines = [
      '',
      ` ${this.paint('dim', 'Evals')}     ${parts([[evals.passed, 'passed', 'green'], [evals.failed, 'failed', 'red']]) || '0'} (${evals.total})`,
      ` ${this.paint('dim', 'Cases')}     ${parts([[cases.passed, 'passed', 'green'], [cases.failed, 'failed', 'red'], [cases.errored, 'errors', 'yellow']]) || '0'} (${cases.total})`,
      ` ${this.paint('dim', 'Calls')}     ${calls.fixture} from fixtures, ${calls.cache > 0 ? `${calls.cache} from the cache, ` : ''}${calls.live} live${calls.kept ? ` (and ${calls.kept} kept from the last run)` : ''}`,
      ` ${this.paint('dim', 'Tokens')}    ${usage('live', results.summary.usage.live)}; ${usage('replayed', results.summary.usage.replayed)} (as recorded)`,
      ` ${this.paint('dim', 'Duration')}  ${seconds(results.durationMs)}`,
    ]
    // Only with a gate: older active versions left unused are normal while comparing versions.
    const coverage = results.coverage
    if (coverage?.gate) {
      const unused = coverage.templates.filter((entry) => entry.active && entry.usedBy.length === 0).map((entry) => `${entry.name}@${entry.version}`)
      const style: Style = !coverage.gate.pass ? 'red' : unused.length > 0 ? 'yellow' : 'green'
      lines.push(` ${this.paint('dim', 'Coverage')}  ${this.paint(style, coverageSummary(coverage))}${unused.length > 0 ? `; unused: ${unused.slice(0, 10).join(', ')}${unused.length > 10 ? ` and ${unused.length - 10} more` : ''}` : ''}`)
    }
    if (this.options.reports?.length) lines.push(` ${this.paint('dim', 'Reports')}   ${this.options.reports.join(', ')}`)
    if (results.interrupted) lines.push(` ${this.paint('yellow', 'Interrupted')}: the results hold the cases that finished; rerun to complete them (fixtures recorded so far are kept).`)
    this.print(`${lines.join('\n')}\n\n`)
  }

  /** Each variant's pass share, the pass-rate verdicts, and any other metric that moved significantly. */
  private describeVariants(result: EvalResult): string {
    const shares = result.variants!.map((variant) => {
      const mark = variant.status === 'pass' ? this.paint('green', '✓') : this.paint('red', '✗')
      return `${variant.name} ${variant.counts.passed}/${variant.counts.cases} ${mark}`
    })
    const lines = [`     ${this.paint('dim', 'variants')} ${shares.join(this.paint('dim', ' | '))}`]
    if (result.sequential) {
      const { reason, casesRun } = result.sequential
      const why = reason === 'significant' ? 'the group-sequential test settled pass rate' : reason === 'max cases' ? 'reached --max-cases' : 'ran out of cases'
      lines.push(this.paint('dim', `     sequential: stopped after ${casesRun} cases, ${why}`))
    }
    const shown = result.comparisons.filter((c) => c.role === 'primary' || c.verdict === 'better' || c.verdict === 'worse')
    for (const comparison of shown) {
      const style: Style = comparison.verdict === 'better' ? 'green' : comparison.verdict === 'worse' ? 'red' : 'yellow'
      lines.push(`     ${comparison.variant} vs ${comparison.baseline}: ${this.paint(style, comparison.sentence)}`)
    }
    if (result.sweep) lines.push(`     ${this.paint('bold', 'best setting')}: ${terminalText(result.sweep.best.sentence)}`)
    const rest = result.comparisons.length - shown.length
    if (rest > 0) lines.push(this.paint('dim', `     (${rest} more metric comparison${rest === 1 ? '' : 's'}, neither better nor worse, in results.json)`))
    return `${lines.join('\n')}\n`
  }

  private describeBaseline(result: EvalResult): string {
    const outcome = result.baseline!
    if (outcome.status === 'missing') return this.paint('dim', `     no baseline (${outcome.file}); save one with \`assay baseline save\`\n`)
    return outcome.checks
      .map((check) => {
        const label = check.variant === undefined ? 'baseline' : `${check.variant} vs baseline`
        return `     ${label}: ${this.paint(check.regression ? 'red' : 'green', check.sentence)}\n`
      })
      .join('')
  }

  private describeCase(entry: CaseResult, fixesShown: Set<string>): string {
    const mark = entry.status === 'error' ? this.paint('yellow', '!') : entry.status === 'pass' ? this.paint('green', '✓') : this.paint('red', '✗')
    const repeats = entry.samples.length > 1 ? ` ${this.paint('dim', `(${entry.repeats.passed}/${entry.repeats.total} repeats passed${entry.flaky ? ', flaky' : ''})`)}` : ''
    const sample = entry.samples.find((candidate) => candidate.status !== 'pass')
    const reasons = sample ? this.reasons(sample, fixesShown) : []
    const variant = entry.variant === undefined ? '' : ` ${this.paint('dim', `[${terminalLine(entry.variant)}]`)}`
    return `     ${mark} ${terminalLine(entry.id)}${variant}${repeats}\n${reasons.map((reason) => `         ${reason}\n`).join('')}`
  }

  /** An error's "Fix:" line is printed once per eval: twenty missing fixtures need one command. */
  private reasons(sample: SampleResult, fixesShown: Set<string>): string[] {
    if (sample.status === 'error') {
      const { code, message, file, fix } = sample.error
      const where = file ? `${file}: ` : ''
      const lines = [this.paint('yellow', untrusted(`${code ? `${code} ` : ''}${where}${message}`))]
      if (fix !== undefined && !fixesShown.has(fix)) {
        fixesShown.add(fix)
        lines.push(`Fix: ${untrusted(fix)}`)
      }
      return lines
    }
    const notes = [
      ...(sample.attempts > 1 ? [this.paint('dim', `after ${sample.attempts} attempts (retryOnFail)`)] : []),
      ...(sample.cutShort ? [this.paint('dim', `stopped early: ${untrusted(sample.cutShort)}`)] : []),
      ...sample.calls.flatMap((call) => (call.truncated ? [this.paint('yellow', untrusted(call.truncated))] : [])),
    ]
    const failed = failingReasons(sample).map(untrusted)
    return [...failed, ...notes]
  }
}

/** Model text, server messages and case data: inert, and indented under their case when they run to several lines. */
function untrusted(text: string): string {
  return terminalText(text).replace(/\n/g, '\n         ')
}

function usage(label: string, totals: { promptTokens: number; completionTokens: number; modelMs: number }): string {
  return `${label} ${thousands(totals.promptTokens)} prompt + ${thousands(totals.completionTokens)} completion, ${seconds(totals.modelMs)} model time`
}

/** 1234567 → "1,234,567". Not toLocaleString: its first call loads ICU's locale data, ~50 ms of a replay. */
export function thousands(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`
}
