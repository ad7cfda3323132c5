import type { ResolvedConfig } from '../config/schema.js'
import { RESULTS_SCHEMA_VERSION, type CaseResult, type EvalResult, type RunResults, type TemplateCoverage } from '../results/types.js'
import type { TemplateLibrary } from '../templates/library.js'
import { assayVersion } from '../version.js'
import { runStatus, summarize } from './aggregate.js'
import { templateCoverage } from './coverage.js'
import type { EvalPlan } from './plan.js'
import type { SelectOptions } from './select.js'
import { baselineOf, type Selection, type SelectionOptions } from './selection.js'

export interface ResultsOptions extends SelectOptions, SelectionOptions {
  config: ResolvedConfig
}

/** How the run went, for its results. */
export interface RunOutcome {
  /** The whole suite as planned, which coverage and a shard's merge data speak for. */
  planned: EvalPlan[]
  selection: Selection
  /** The evals that finished, in declaration order. */
  evals: EvalResult[]
  /** Case results a rerun carried over from the last run. */
  kept: ReadonlySet<CaseResult>
  interrupted: boolean
  startedAt: Date
  /** The library the plans were made from: coverage reads only the templates no plan loaded. */
  templates: TemplateLibrary
  /**
   * Template coverage measured while the run went on (it does not depend on the results, so a run
   * measures it while its calls are in flight); measured here when absent.
   */
  coverage?: Promise<TemplateCoverage | undefined>
  /** Milliseconds since the run started, read once coverage is measured. */
  duration: () => number
}

/** Whether the run's results speak for the whole suite (no rerun, no filter), as coverage needs; an interrupted run does not either. */
export function coversSuite(options: ResultsOptions): boolean {
  return !options.rerun && (options.filters ?? []).length === 0 && options.namePattern === undefined
}

/** The run's results.json: the evals, the summary, coverage on a full run, and a shard's merge data. */
export async function runResults(options: ResultsOptions, outcome: RunOutcome): Promise<RunResults> {
  const { config, rerun, shard } = options
  const { planned, selection, evals, interrupted } = outcome
  // Coverage speaks for the whole suite, so only a full run measures it (and can fail its gate); a
  // shard plans the whole suite too, and carries it for merge-reports, which owns the gate.
  const full = coversSuite(options) && !interrupted
  const measured = full ? ((await outcome.coverage) ?? (await templateCoverage(outcome.templates, planned))) : undefined
  const coverage = measured ? withGate(measured, config.coverage.templates) : undefined
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    assayVersion,
    status: interrupted || (coverage?.gate?.pass === false && !shard) ? 'fail' : runStatus(evals),
    interrupted,
    selection: { filters: options.filters ?? [], namePattern: options.namePattern },
    startedAt: outcome.startedAt.toISOString(),
    durationMs: outcome.duration(),
    record: config.record,
    summary: summarize(evals, outcome.kept),
    ...(coverage ? { coverage } : {}),
    evals,
    ...(shard && selection.caseOrder
      ? {
          shard: {
            ...shard,
            evalOrder: planned.map((plan) => plan.name),
            caseOrder: selection.caseOrder,
            baselines: Object.fromEntries(planned.map((plan) => [plan.name, baselineOf(plan, options.baselineVariant)])),
          },
        }
      : {}),
  }
}

function withGate(coverage: TemplateCoverage, min: number | undefined): TemplateCoverage {
  return min === undefined ? coverage : { ...coverage, gate: { min, pass: coverage.share >= min } }
}
