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
export function scheduleJobs(
  progress: EvalProgress[],
  baselines: readonly (string | undefined)[],
  options: ScheduleOptions,
  finish: (evalIndex: number) => Promise<void>,
): Generator<Job> | AsyncGenerator<Job> {
  const sequential = (evalIndex: number) => {
    // An eval a rerun left no case to run has nothing to look at: it is finished from its kept cases.
    const baseline = baselines[evalIndex]
    return options.untilSignificant && baseline !== undefined && progress[evalIndex]!.plan.cases.length > 0 ? options.untilSignificant : undefined
  }
  // Without a sequential eval every job is known up front: a plain generator, which the pool
  // takes from without a promise per job (a replay's 2,000 jobs are 2,000 awaits fewer).
  return progress.some((_, evalIndex) => sequential(evalIndex)) ? withBatches(progress, baselines, options, finish, sequential) : allJobs(progress, options)
}

function* allJobs(progress: EvalProgress[], options: ScheduleOptions): Generator<Job> {
  for (const [evalIndex, state] of progress.entries()) {
    if (options.stop?.aborted) return
    yield* everyCase(state, evalIndex, options.stop)
  }
}

/** All of an eval's cases at once; nothing more once `stop` aborts. */
function* everyCase(state: EvalProgress, evalIndex: number, stop: AbortSignal | undefined): Generator<Job> {
  state.scheduleAll()
  for (const job of caseJobs(state.plan, evalIndex, 0, state.plan.cases.length)) {
    if (stop?.aborted) return
    yield job
  }
}

async function* withBatches(
  progress: EvalProgress[],
  baselines: readonly (string | undefined)[],
  options: ScheduleOptions,
  finish: (evalIndex: number) => Promise<void>,
  sequentialOf: (evalIndex: number) => SequentialOptions | undefined,
): AsyncGenerator<Job> {
  for (const [evalIndex, state] of progress.entries()) {
    const sequential = sequentialOf(evalIndex)
    if (options.stop?.aborted) return
    if (!sequential) {
      yield* everyCase(state, evalIndex, options.stop)
      continue
    }
    const { sequentialJobs } = await import('./sequential.js')
    const outcome = yield* sequentialJobs(state, evalIndex, baselines[evalIndex]!, sequential, options.stop)
    if (!outcome) return
    state.close(outcome)
    await finish(evalIndex)
  }
}
