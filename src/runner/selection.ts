import { AssayError } from '../errors.js'
import type { EvalPlan } from './plan.js'
import type { Rerun } from './rerun.js'
import type { SequentialOptions } from './sequential.js'
import { shardPlans, type CaseOrder, type Shard } from './shard.js'

/** The options that decide what a run runs (RunOptions carries them, documented). */
export interface SelectionOptions {
  baselineVariant?: string
  checkBaseline?: boolean
  untilSignificant?: SequentialOptions
  shard?: Shard
  rerun?: Rerun
}

/** What this run runs, out of the planned suite. */
export interface Selection {
  /** The run's share: a shard's, or the whole suite. A rerun keeps results from it. */
  scope: EvalPlan[]
  /** The cases run now: the scope, or the cases of it a rerun selects. Every eval of the scope is here. */
  plans: EvalPlan[]
  /** Per plan, the variant the others are compared against; undefined for an eval without variants. */
  baselines: (string | undefined)[]
  /** With --shard: every case's place in the whole suite, which merge-reports restores. */
  caseOrder?: CaseOrder
}

/**
 * The share of the planned suite this run runs (`--shard`, `--failed`/`--retry-errors`/`--resume`),
 * each eval's baseline variant, and the check that needs the plans (--until-significant on a primary
 * metric other than pass rate). The checks across flags alone run before loading (cli/options.ts).
 */
export function selectRun(planned: EvalPlan[], options: SelectionOptions): Selection {
  const split = options.shard && shardPlans(planned, options.shard)
  const rerun = options.rerun
  const scope = split ? split.plans : planned
  const plans = rerun ? scope.map((plan) => ({ ...plan, cases: plan.cases.filter((entry) => rerun.selects(plan.name, entry.id)) })) : scope
  const baselines = plans.map((plan) => baselineOf(plan, options.baselineVariant))
  checkSequential(plans, options)
  return { scope, plans, baselines, ...(split ? { caseOrder: split.order } : {}) }
}

function checkSequential(plans: EvalPlan[], options: SelectionOptions): void {
  if (options.untilSignificant) {
    for (const plan of plans) {
      const primary = plan.spec.primaryMetric
      if (plan.spec.variants && primary !== undefined && primary !== 'pass rate') {
        throw new AssayError('ASSAY_USAGE', `--until-significant watches pass rate, but eval "${plan.name}" has primaryMetric "${primary}".`, {
          file: plan.file,
          fix: 'Run it without --until-significant (a fixed run tests any primary metric), or make pass rate its primary metric.',
        })
      }
    }
  }
}

/** The baseline variant of an eval with variants: the one named by --baseline-variant, else the first. */
export function baselineOf(plan: EvalPlan, wanted: string | undefined): string | undefined {
  if (!plan.spec.variants) return undefined
  const names = plan.variants.map((variant) => variant.name!)
  if (wanted === undefined) return names[0]
  if (!names.includes(wanted)) {
    throw new AssayError('ASSAY_USAGE', `--baseline-variant "${wanted}" is not a variant of eval "${plan.name}" (it has ${names.join(', ')}).`, {
      file: plan.file,
      fix: 'Name one of its variants, or narrow the run with -t to the evals that have it.',
    })
  }
  return wanted
}
