import { answerLatencies } from '../../results/aggregates.js'
import type { BaselineOutcome, CaseResult, CaseStatus, Comparison, EvalResult, RunResults, Status, Suggestion, TemplateCoverage, TrendPoint, VariantResult } from '../../results/types.js'
import type { RecordMode } from '../../results/words.js'
import { writeCases, type CasesAhead, type Write } from '../cases.js'
import { pageRows } from './rows.js'

/**
 * Everything the page shows, compact: repeated prompts are stored once, long texts are cut. The
 * page's script (client/) reads it through these types, so a field renamed here fails its type check.
 */
export interface ReportData {
  title: string
  generatedAt: string
  git: string | undefined
  summary: RunResults['summary'] & { status: Status; durationMs: number; record: RecordMode; startedAt: string; models: string[] }
  /** Texts that repeat (system prompts, assertion names and reasons), referenced by index. */
  strings: string[]
  /** The most characters kept of one output or prompt. */
  textCap: number
  /** Template versions and their evals, on a full run. */
  coverage: TemplateCoverage | null
  evals: ReportEval[]
}

export interface ReportEval {
  name: string
  file: string
  status: Status
  passRate: number
  threshold: number
  meanScore: number | null
  p50: number | null
  p95: number | null
  tokens: number
  cases: number
  latencies: number[]
  variants: VariantResult[] | null
  comparisons: Comparison[]
  baseline: BaselineOutcome | null
  suggestions: Suggestion[]
  /** The swept options and the best setting, for an eval with `sweep`. */
  sweep: EvalResult['sweep'] | null
  /** Pass rate over the last runs from the history, oldest first; empty with history off. */
  trend: TrendPoint[]
  rows: ReportCase[]
  /** Case rows left out of the page, which holds at most PAGE_SAMPLES_MAX samples (rows.ts); results.json has them. */
  omitted: number
}

export interface ReportCase {
  id: string
  variant: string | null
  status: CaseStatus
  repeats: { passed: number; total: number }
  flaky: boolean
  samples: ReportSample[]
}

export interface ReportSample {
  status: CaseStatus
  /** Index into strings, or the text itself when it occurs once. */
  system: number | string | null
  user: string | null
  examples: number
  output: string | null
  /** A thinking model's reasoning, shown folded; never judged. */
  thinking: string | null
  /** Characters cut from the output, when it was too long to keep whole. */
  cut: number
  score: number | null
  /** name and reason are indices into strings when they repeat across samples (they mostly do). */
  assertions: { name: number | string; pass: boolean; score: number; reason: number | string; advisory: boolean }[]
  error: string | null
  attempts: number
  cutShort: string | null
  /** The server counted far fewer prompt tokens than estimated. */
  truncated: string | null
  /** The answer's tool calls, each with its arguments as indented JSON (clipped like the output). */
  toolCalls: { name: string; arguments: string }[]
  latencyMs: number
  tokens: number | null
  fixture: string | null
}

export interface PageOptions {
  git?: string
  generatedAt: string
  /** The most samples the page shows. @default PAGE_SAMPLES_MAX */
  samplesMax?: number
}

export function reportTitle(results: RunResults): string {
  return `assay report — ${results.status === 'pass' ? 'passed' : 'failed'}${results.interrupted ? ' (interrupted)' : ''}`
}

/** Keeps the page under ~10 MB whatever the run size: about 6 MB of texts in all. */
export function textCapFor(samples: number): number {
  return Math.max(300, Math.min(20_000, Math.floor(6_000_000 / Math.max(1, samples) / 2)))
}

/**
 * Case rows as the page's JSON, with the texts that repeat (system prompts, assertion names and
 * reasons) put in one table the rows point into, and long texts cut to `cap`. One renderer serves a
 * whole page: rows rendered ahead (while calls are in flight) and at the end share its table.
 */
export class PageRows {
  readonly strings: string[] = []
  private readonly seen = new Map<string, number>()

  constructor(readonly cap: number) {}

  /** A case's row as it goes at `index` of its eval's "rows". */
  text(testCase: CaseResult, index: number): string {
    return `${index === 0 ? '' : ','}${embedJson(this.row(testCase))}`
  }

  private intern(text: string): number {
    let index = this.seen.get(text)
    if (index === undefined) {
      index = this.strings.push(text) - 1
      this.seen.set(text, index)
    }
    return index
  }

  private clip(text: string): string {
    return text.length > this.cap ? text.slice(0, this.cap) : text
  }

  private row(testCase: CaseResult): ReportCase {
    const cap = this.cap
    return {
      id: testCase.id,
      variant: testCase.variant ?? null,
      status: testCase.status,
      repeats: testCase.repeats,
      flaky: testCase.flaky,
      samples: testCase.samples.map((sample): ReportSample => {
        const output = sample.output ?? null
        const answer = sample.calls.filter((call) => call.purpose === 'answer')
        const tokens = answer.every((call) => call.completionTokens !== undefined) ? answer.reduce((sum, call) => sum + (call.completionTokens ?? 0), 0) : null
        return {
          status: sample.status,
          system: sample.prompt ? this.intern(sample.prompt.system) : null,
          user: sample.prompt ? this.clip(sample.prompt.user) : null,
          examples: sample.prompt?.examples ?? 0,
          output: output === null ? null : this.clip(output),
          thinking: sample.thinking === undefined ? null : this.clip(sample.thinking),
          cut: output === null ? 0 : Math.max(0, output.length - cap),
          score: sample.status === 'error' ? null : sample.score,
          assertions: sample.status === 'error' ? [] : sample.assertions.map(({ name, pass, score, reason, advisory }) => ({ name: this.intern(name), pass, score: Math.round(score * 1000) / 1000, reason: this.intern(reason), advisory })),
          error: sample.status === 'error' ? [sample.error.code, sample.error.message, sample.error.fix && `Fix: ${sample.error.fix}`].filter(Boolean).join(' — ') : null,
          attempts: sample.attempts,
          cutShort: sample.cutShort ?? null,
          truncated: sample.calls.find((call) => call.truncated !== undefined)?.truncated ?? null,
          toolCalls: (sample.toolCalls ?? []).map((call) => ({ name: this.clip(call.name), arguments: this.clip(call.invalidArguments ?? JSON.stringify(call.arguments, null, 2)) })),
          latencyMs: Math.round(answer.reduce((sum, call) => sum + call.latencyMs, 0)),
          tokens,
          fixture: sample.calls[0]?.fixture ?? sample.calls[0]?.key ?? null,
        }
      }),
    }
  }
}

/** Rows rendered while calls were in flight (report/spool.ts), by the renderer they share the table of. */
export interface RowsAhead extends CasesAhead {
  rows: PageRows
}

/**
 * Streams the page's data as JSON: run facts first, then each eval and its rows one at a time,
 * and last the table of repeated strings the rows point into. Memory stays at one row, not the
 * whole report. Parses to a ReportData. Rows rendered `ahead` are used when the page shows every
 * case and they were cut to the cap the page has.
 */
export async function writeReportData(results: RunResults, options: PageOptions, write: Write, ahead?: RowsAhead): Promise<void> {
  const shown = pageRows(results.evals, options.samplesMax)
  const samples = shown.reduce((sum, rows) => sum + rows.reduce((s, c) => s + c.samples.length, 0), 0)
  const cap = textCapFor(samples)
  const useAhead = ahead !== undefined && ahead.rows.cap === cap && shown.every((rows, index) => rows === results.evals[index]!.cases)
  const rows = useAhead ? ahead.rows : new PageRows(cap)
  const models = [...new Set(results.evals.flatMap((entry) => [entry.model, ...(entry.variants ?? []).map((v) => v.model)]).filter((m): m is string => m !== undefined))]
  const head: Omit<ReportData, 'evals' | 'strings'> = {
    title: reportTitle(results),
    generatedAt: options.generatedAt,
    git: options.git,
    summary: { ...results.summary, status: results.status, durationMs: results.durationMs, record: results.record, startedAt: results.startedAt, models },
    textCap: cap,
    coverage: results.coverage ?? null,
  }
  await write(`${embedJson(head).slice(0, -1)},"evals":[`)
  for (const [index, entry] of results.evals.entries()) {
    // The run already aggregated each eval; only the raw latencies for the histogram are new.
    const metrics = entry.metrics
    const evalRows = shown[index]!
    const fields: Omit<ReportEval, 'rows'> = {
      name: entry.name,
      file: entry.file,
      status: entry.status,
      passRate: entry.passRate,
      threshold: entry.threshold,
      meanScore: metrics.meanScore ?? null,
      p50: metrics.latencyP50 ?? null,
      p95: metrics.latencyP95 ?? null,
      tokens: metrics.promptTokens + metrics.completionTokens,
      cases: entry.counts.cases,
      latencies: answerLatencies(entry.cases).map((ms) => Math.round(ms)),
      variants: entry.variants ?? null,
      comparisons: entry.comparisons,
      baseline: entry.baseline ?? null,
      suggestions: entry.suggestions ?? [],
      trend: entry.trend ?? [],
      sweep: entry.sweep ?? null,
      omitted: entry.cases.length - evalRows.length,
    }
    await write(`${index === 0 ? '' : ','}${embedJson(fields).slice(0, -1)},"rows":[`)
    await writeCases(entry, evalRows, write, (testCase, i) => rows.text(testCase, i), useAhead ? ahead : undefined)
    await write(']}')
  }
  await write(`],"strings":${embedJson(rows.strings)}}`)
}

/** JSON that is safe inside a <script> element: no "</script>", no "<!--". */
export function embedJson(value: unknown): string {
  // One pass, and none at all for the many rows that hold no such character.
  const json = JSON.stringify(value)
  return UNSAFE_IN_SCRIPT.test(json) ? json.replace(UNSAFE_IN_SCRIPT_ALL, (char) => ESCAPES[char]!) : json
}

const UNSAFE_IN_SCRIPT = /[<>&]/
const UNSAFE_IN_SCRIPT_ALL = /[<>&]/g
const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' }
