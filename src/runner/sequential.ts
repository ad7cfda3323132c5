import type { CaseResult, SequentialLook, SequentialOutcome } from '../results/types.js'
import { DiscordantBoundary, type Spending } from '../stats/group-sequential.js'
import { caseJobs, type Job } from './jobs.js'
import type { EvalProgress } from './progress.js'

/** `--until-significant`: how far to go and how big each step is. */
export interface SequentialOptions {
  maxCases: number
  /** Cases added per look. @default 10 */
  batch: number
  /** Two-sided, for the whole sequence; split over the variants. */
  alpha: number
}

/** Cases added per look unless `--batch` says otherwise. */
export const SEQUENTIAL_BATCH = 10

/**
 * Pocock-type spending (Lan-DeMets): it spends alpha evenly enough to stop early at the effect
 * the run was sized for. At 0.60 -> 0.70 with the maximum at 1.2 x the fixed n it averaged 27%
 * fewer cases than the fixed exact McNemar test at 81% power; O'Brien-Fleming-type spending saved
 * 17-25% at the same power (`npm run bench:sequential -- --search`).
 */
export const SEQUENTIAL_SPENDING: Spending = 'pocock'

/** The maximum that gives a sequential run about the power of a fixed run of `fixedN` cases. */
export function defaultMaxCases(fixedN: number): number {
  return Math.ceil((1.2 * fixedN) / SEQUENTIAL_BATCH) * SEQUENTIAL_BATCH
}

/**
 * Watches pass rate, one look per batch, each variant against the baseline under the
 * group-sequential exact McNemar test at alpha / variants. A variant is settled once it crosses
 * its boundary; its looks stop there, and the verdict rests on that look.
 */
export class SequentialMonitor {
  private readonly boundaries = new Map<string, DiscordantBoundary>()
  private readonly looks: Record<string, SequentialLook[]> = {}
  private readonly crossed = new Set<string>()
  readonly design: SequentialOutcome['design']

  constructor(
    private readonly variants: string[],
    private readonly baseline: string,
    options: SequentialOptions,
    /** The cases the run will reach at most: min(--max-cases, the eval's cases). */
    horizon: number,
  ) {
    const others = variants.filter((variant) => variant !== baseline)
    this.design = { alpha: options.alpha / others.length, spending: SEQUENTIAL_SPENDING, horizon, batch: options.batch }
    for (const variant of others) {
      this.boundaries.set(variant, new DiscordantBoundary(this.design))
      this.looks[variant] = []
    }
  }

  /** A look after `casesRun` cases; true once every variant is settled. */
  look(cases: CaseResult[], casesRun: number): boolean {
    const base = new Map(cases.filter((entry) => entry.variant === this.baseline && entry.status !== 'error').map((entry) => [entry.id, entry.status]))
    for (const [variant, boundary] of this.boundaries) {
      if (this.crossed.has(variant)) continue
      const counts = { pairs: 0, baselinePasses: 0, discordant: 0, variantWins: 0 }
      for (const entry of cases) {
        const before = base.get(entry.id)
        if (entry.variant !== variant || entry.status === 'error' || before === undefined) continue
        counts.pairs++
        if (before === 'pass') counts.baselinePasses++
        if (before !== entry.status) counts.discordant++
        if (before === 'fail' && entry.status === 'pass') counts.variantWins++
      }
      const bound = boundary.next({ cases: casesRun, discordant: counts.discordant, variantWins: counts.variantWins })
      this.looks[variant]!.push({ cases: casesRun, ...counts, boundary: bound })
      if (Math.max(counts.variantWins, counts.discordant - counts.variantWins) >= bound) this.crossed.add(variant)
    }
    return this.crossed.size === this.boundaries.size
  }

  outcome(reason: SequentialOutcome['reason'], casesRun: number): SequentialOutcome {
    return { reason, casesRun, design: this.design, looks: this.looks }
  }
}

/**
 * The sequential loop of one eval: schedules its cases a batch at a time, looks once each batch
 * has ended, and returns why it stopped adding cases (undefined when `stop` aborted the run).
 */
export async function* sequentialJobs(
  progress: EvalProgress,
  evalIndex: number,
  baseline: string,
  options: SequentialOptions,
  stop?: AbortSignal,
): AsyncGenerator<Job, SequentialOutcome | undefined> {
  const plan = progress.plan
  const limit = Math.min(plan.cases.length, options.maxCases)
  const monitor = new SequentialMonitor(
    plan.variants.map((variant) => variant.name!),
    baseline,
    options,
    Math.max(1, limit),
  )
  for (let next = 0; ; ) {
    const end = Math.min(next + options.batch, limit)
    const done = progress.scheduleBatch(next, end)
    yield* caseJobs(plan, evalIndex, next, end)
    next = end
    await done
    if (stop?.aborted) return undefined
    const reason = monitor.look(progress.ran(), next) ? 'significant' : next < limit ? undefined : limit < plan.cases.length ? 'max cases' : 'cases exhausted'
    if (reason) return monitor.outcome(reason, next)
  }
}
