import { caseJobs, type Job } from './jobs.js'
import type { EvalProgress } from './progress.js'
import type { SequentialOptions } from './sequential.js'

export interface ScheduleOptions {
  untilSignificant?: SequentialOptions
  stop?: AbortSignal
}

/**
 * Every sample of the run, eval after eval in declaration order; nothing more once `stop` aborts.
 * An eval with variants under --until-significant comes a batch of cases at a time, and is
 * finished here when its sequential test stops it; the others finish when their last case ends.
 */
export async function* scheduleJobs(
  progress: EvalProgress[],
  baselines: readonly (string | undefined)[],
  options: ScheduleOptions,
  finish: (evalIndex: number) => Promise<void>,
): AsyncGenerator<Job> {
  for (const [evalIndex, state] of progress.entries()) {
    const plan = state.plan
    const baseline = baselines[evalIndex]
    // An eval a rerun left no case to run has nothing to look at: it is finished from its kept cases.
    const sequential = options.untilSignificant && baseline !== undefined && plan.cases.length > 0 ? options.untilSignificant : undefined
    if (options.stop?.aborted) return
    if (!sequential) {
      state.scheduleAll()
      for (const job of caseJobs(plan, evalIndex, 0, plan.cases.length)) {
        if (options.stop?.aborted) return
        yield job
      }
      continue
    }
    const { sequentialJobs } = await import('./sequential.js')
    const outcome = yield* sequentialJobs(state, evalIndex, baseline!, sequential, options.stop)
    if (!outcome) return
    state.close(outcome)
    await finish(evalIndex)
  }
}
