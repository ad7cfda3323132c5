import { normalQuantile, normalSf } from './dist.js'
import { clopperPearsonInterval } from './intervals.js'
import { count, probability } from './validate.js'

/**
 * Group-sequential exact McNemar for `--until-significant`: looks after every batch of cases,
 * Lan-DeMets alpha spending over the share of the planned cases run so far, and exact binomial
 * boundaries on the discordant pairs.
 *
 * Why it is exact: under H0 (equal pass rates) each discordant pair favours the variant with
 * probability 1/2, independently of how many pairs are discordant. So, given the discordant
 * counts m_1 <= m_2 <= ... at the looks, the variant's wins form a fair random walk, and the
 * boundary at each look is the smallest that spends no more alpha than the spending function
 * allows by then (the exact crossing probability is computed by dynamic programming over the
 * paths that have not crossed yet). The false-positive rate is at most alpha whatever the
 * discordance, and with one look the test is the exact McNemar test.
 */

export type Spending = 'obrien-fleming' | 'pocock'

/** Alpha spent by information time t in [0, 1] (Lan and DeMets 1983). */
export function spentAlpha(spending: Spending, alpha: number, t: number): number {
  if (t <= 0) return 0
  if (t >= 1) return alpha
  if (spending === 'pocock') return alpha * Math.log(1 + (Math.E - 1) * t)
  return Math.min(alpha, 2 * normalSf(normalQuantile(1 - alpha / 2) / Math.sqrt(t)))
}

/** The counts at one look: cases run so far, discordant pairs among them, pairs the variant won. */
export interface DiscordantLook {
  cases: number
  discordant: number
  /** Discordant pairs where the variant passed and the baseline failed (c of the 2x2 table). */
  variantWins: number
}

export interface SequentialDesign {
  /** Two-sided significance level of the whole sequence. */
  alpha: number
  spending: Spending
  /** The planned number of cases; a look at or past it is the final one and spends what is left. */
  horizon: number
}

export interface GroupSequentialResult {
  /** The look (index) whose boundary was crossed, if any. */
  crossedAt: number | undefined
  /** The look the p-value and interval rest on: the crossing, else the last. */
  look: number
  /**
   * Two-sided p-value under the stage-wise ordering (an earlier crossing is more extreme than a
   * later one). Below alpha exactly when a boundary was crossed, for a completed sequence.
   */
  pValue: number
  /** Confidence interval at 1 - alpha for theta = P(the variant wins a discordant pair). */
  theta: { low: number; high: number }
  /** Per look: the boundary, as "reject once max(wins, losses) >= boundary". */
  boundaries: number[]
}

/** Advances survivor probabilities over the variant's wins from m to `target` discordant pairs. */
function advance(survivors: Float64Array, m: number, target: number, theta: number): Float64Array {
  let current = survivors
  for (let size = m; size < target; size++) {
    const next = new Float64Array(size + 2)
    for (let c = 0; c <= size; c++) {
      const p = current[c]!
      if (p === 0) continue
      next[c] = next[c]! + p * (1 - theta)
      next[c + 1] = next[c + 1]! + p * theta
    }
    current = next
  }
  return current
}

/** Removes the paths at or past boundary u; returns the probability removed above and below. */
function cut(survivors: Float64Array, m: number, u: number): { up: number; down: number } {
  let up = 0
  let down = 0
  for (let c = 0; c <= m; c++) {
    if (c >= u) {
      up += survivors[c]!
      survivors[c] = 0
    } else if (m - c >= u) {
      down += survivors[c]!
      survivors[c] = 0
    }
  }
  return { up, down }
}

/**
 * The boundaries of a running sequence, one look at a time (what `--until-significant` and the
 * benchmark use): each call takes the counts at the next look and returns its boundary.
 */
export class DiscordantBoundary {
  private survivors: Float64Array = Float64Array.of(1)
  private m = 0
  private spent = 0
  private looks: DiscordantLook[] = []

  constructor(private readonly design: SequentialDesign) {
    probability('alpha', design.alpha, { open: true })
    count('horizon', design.horizon)
    if (design.horizon === 0) throw new RangeError('horizon must be at least 1 case.')
  }

  /** The boundary at this look: reject once max(wins, losses) >= it. */
  next(look: DiscordantLook): number {
    const i = this.looks.length
    count(`looks[${i}].cases`, look.cases)
    count(`looks[${i}].discordant`, look.discordant)
    count(`looks[${i}].variantWins`, look.variantWins)
    if (look.variantWins > look.discordant || look.discordant > look.cases) throw new RangeError(`looks[${i}] needs variantWins <= discordant <= cases.`)
    const previous = this.looks[i - 1]
    if (previous && (look.cases < previous.cases || look.discordant < previous.discordant)) throw new RangeError(`looks[${i}] goes backwards.`)
    this.looks.push(look)
    this.survivors = advance(this.survivors, this.m, look.discordant, 0.5)
    this.m = look.discordant
    const time = Math.min(1, look.cases / this.design.horizon)
    const u = boundaryFor(this.survivors, this.m, spentAlpha(this.design.spending, this.design.alpha, time) - this.spent)
    const { up, down } = cut(this.survivors, this.m, u)
    this.spent += up + down
    return u
  }
}

interface Pass {
  /** Probability of crossing above, and below, at the looks before the analysed one. */
  above: number
  below: number
  /** Survivor probabilities over the variant's wins at the analysed look (before its boundary). */
  survivors: Float64Array
}

/** The wins walk under theta through looks 0..last, with the boundaries fixed before `last`. */
function walk(looks: DiscordantLook[], last: number, theta: number, boundaries: number[]): Pass {
  let survivors: Float64Array = Float64Array.of(1)
  let m = 0
  let above = 0
  let below = 0
  for (let k = 0; k <= last; k++) {
    survivors = advance(survivors, m, looks[k]!.discordant, theta)
    m = looks[k]!.discordant
    if (k === last) break
    const { up, down } = cut(survivors, m, boundaries[k]!)
    above += up
    below += down
  }
  return { above, below, survivors }
}

/** The smallest u > m/2 whose two tails, max(c, m - c) >= u, hold at most `allowed`. */
function boundaryFor(survivors: Float64Array, m: number, allowed: number): number {
  let u = m + 1
  let tails = 0
  while (u - 1 > m / 2) {
    const c = u - 1
    const added = survivors[c]! + (m - c !== c ? survivors[m - c]! : 0)
    // A hair of slack so that rounding in the sums never refuses the boundary that spends exactly.
    if (tails + added > allowed * (1 + 1e-12)) break
    tails += added
    u--
  }
  return u
}

/**
 * The boundary at each look, "reject once max(wins, losses) >= boundary", chosen so that the
 * exact probability of crossing by look k under H0 is at most the alpha spent by then.
 */
export function discordantBoundaries(looks: DiscordantLook[], design: SequentialDesign): number[] {
  const boundary = new DiscordantBoundary(design)
  return looks.map((look) => boundary.next(look))
}

/** The group-sequential test on a sequence of looks: where it crossed, its p-value and interval. */
export function discordantGroupSequential(looks: DiscordantLook[], design: SequentialDesign): GroupSequentialResult {
  if (looks.length === 0) throw new RangeError('A group-sequential analysis needs at least one look.')
  const boundaries = discordantBoundaries(looks, design)
  const crossedAt = looks.findIndex((look, k) => Math.max(look.variantWins, look.discordant - look.variantWins) >= boundaries[k]!)
  const at = crossedAt === -1 ? looks.length - 1 : crossedAt
  const fixed = boundaries.slice(0, at)
  const tails = (theta: number) => {
    const pass = walk(looks, at, theta, fixed)
    const wins = looks[at]!.variantWins
    let { above, below } = pass
    pass.survivors.forEach((p, c) => {
      if (c >= wins) above += p
      if (c <= wins) below += p
    })
    return { above, below }
  }
  const alpha = design.alpha
  const atHalf = tails(0.5)
  const pValue = Math.min(1, 2 * Math.min(atHalf.above, atHalf.below))
  // At the first look nothing was cut before, and the stage-wise interval is Clopper-Pearson's.
  const first = at === 0 ? clopperPearsonInterval(looks[0]!.variantWins, looks[0]!.discordant, 1 - alpha) : undefined
  let low = first ? first.low : solve((theta) => tails(theta).above - alpha / 2)
  let high = first ? first.high : solve((theta) => alpha / 2 - tails(theta).below)
  // Bisection stops within 1e-12 of the root; keep the interval on the side of 1/2 the p-value says.
  if (pValue < alpha) {
    if (atHalf.above <= atHalf.below) low = Math.max(low, 0.5 + 1e-12)
    else high = Math.min(high, 0.5 - 1e-12)
  } else {
    low = Math.min(low, 0.5)
    high = Math.max(high, 0.5)
  }
  return { crossedAt: crossedAt === -1 ? undefined : crossedAt, look: at, pValue, theta: { low, high }, boundaries }
}

/** The root in [0, 1] of an increasing function (0 or 1 when it has none inside). */
function solve(f: (x: number) => number): number {
  let low = 0
  let high = 1
  if (f(low) >= 0) return 0
  if (f(high) <= 0) return 1
  while (high - low > 1e-12) {
    const middle = (low + high) / 2
    if (f(middle) < 0) low = middle
    else high = middle
  }
  return (low + high) / 2
}
