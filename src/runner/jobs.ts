import type { EvalPlan } from './plan.js'
import type { SampleJob } from './sample.js'

/** One sample to run, with the eval (by declaration index) and result slot it belongs to. */
export interface Job {
  job: SampleJob
  evalIndex: number
  slot: number
}

/** Cases [from, to) of an eval, each on every variant in turn, so paired samples run close together. */
export function* caseJobs(plan: EvalPlan, evalIndex: number, from: number, to: number): Generator<Job> {
  for (let caseIndex = from; caseIndex < to; caseIndex++) {
    const testCase = plan.cases[caseIndex]!
    for (const [variantIndex, variant] of plan.variants.entries()) {
      const slot = caseIndex * plan.variants.length + variantIndex
      for (let sample = 0; sample < plan.repeat; sample++) yield { job: { plan, variant, testCase, sample }, evalIndex, slot }
    }
  }
}
