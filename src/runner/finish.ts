import type { ResolvedConfig } from '../config/schema.js'
import type { CaseResult, EvalResult } from '../results/types.js'
import { evalResult, shapeOf } from './aggregate.js'
import { inPlanOrder } from './order.js'
import type { EvalPlan } from './plan.js'
import type { EvalProgress } from './progress.js'
import type { Rerun } from './rerun.js'

/** What finishing an eval needs beyond its own progress. */
export interface FinishContext {
  config: ResolvedConfig
  /** `--baseline`: check the eval against its saved baseline. */
  checkBaseline?: boolean
  rerun?: Rerun
  /** The run's share of the suite, whose case order a rerun's results are put back in. */
  scope: readonly EvalPlan[]
  /** Case results carried over from the last run by a rerun: their calls are not this run's. */
  kept: Set<CaseResult>
  now: () => number
}

/** An eval's result from the cases it ran (and a rerun kept): variants compared, the baseline checked. */
export async function finishEval(progress: EvalProgress, baseline: string | undefined, context: FinishContext): Promise<EvalResult> {
  const { plan } = progress
  const ran = withKept(plan, progress.ran(), context)
  const settings = { primaryMetric: plan.spec.primaryMetric, minimumEffect: plan.spec.minimumEffect, sequential: progress.sequential }
  // The statistics load only for evals with variants, and the baseline store only with --baseline.
  const comparisons = baseline === undefined ? [] : (await import('../compare/index.js')).compareVariants(ran, plan.variants.map((variant) => variant.name!), baseline, settings)
  const finished = { ...evalResult({ ...shapeOf(plan), baseline }, ran, comparisons, context.now() - (progress.started ?? context.now())), sequential: progress.sequential }
  return context.checkBaseline ? await withBaseline(context.config, finished) : finished
}

/** The cases a rerun keeps from the last results, merged with the ones run now, in plan order. */
function withKept(plan: EvalPlan, ran: CaseResult[], { rerun, scope, kept }: FinishContext): CaseResult[] {
  if (!rerun) return ran
  for (const entry of rerun.kept(plan.name)) kept.add(entry)
  const position = new Map(scope.find((p) => p.name === plan.name)!.cases.map((entry, i) => [entry.id, i]))
  const cases = [...rerun.kept(plan.name).filter((entry) => position.has(entry.id)), ...ran]
  return inPlanOrder(cases, position, plan.variants.map((variant) => variant.name))
}

/** Adds the baseline check; a significant regression beyond the margin fails the eval. */
async function withBaseline(config: ResolvedConfig, result: EvalResult): Promise<EvalResult> {
  const [{ checkAgainstBaseline }, { baselinePath, readBaseline }] = await Promise.all([import('../baselines/gate.js'), import('../baselines/store.js')])
  const file = baselinePath(config.baselinesDir, result.name)
  const baseline = await readBaseline(config.root, config.baselinesDir, result.name)
  if (!baseline) return { ...result, baseline: { status: 'missing', file } }
  const checks = checkAgainstBaseline(result, baseline, config.regressionMargin)
  const regressed = checks.some((check) => check.regression)
  return { ...result, status: regressed ? 'fail' : result.status, baseline: { status: 'checked', file, checks } }
}
