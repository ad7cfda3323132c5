import { AssayError } from '../errors.js'
import type { EvalPlan } from './plan.js'

export interface Shard {
  /** 1-based, as in `--shard 2/4`. */
  index: number
  count: number
}

/** `2/4` → { index: 2, count: 4 }, with a usage error naming the flag for anything else. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim())
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || index < 1 || index > count) {
    throw new AssayError('ASSAY_USAGE', `--shard "${value}" is not a shard: it takes i/n with 1 <= i <= n.`, { fix: 'Write --shard 1/4 on the first of four machines, --shard 2/4 on the second, and so on.' })
  }
  return { index, count }
}

/** Per eval, the position of each case (by id) in the eval's full case list. */
export type CaseOrder = Record<string, Record<string, number>>

/**
 * The share of one shard: cases are numbered across all evals in declaration order and dealt
 * round-robin, so every case lands in exactly one shard and shard sizes differ by one at most.
 * A case keeps all its variants and repeats, so paired comparisons stay within a shard's
 * results and merge back whole.
 */
export function shardPlans(plans: EvalPlan[], { index, count }: Shard): { plans: EvalPlan[]; order: CaseOrder } {
  let position = 0
  const order: CaseOrder = {}
  const mine: EvalPlan[] = []
  for (const plan of plans) {
    order[plan.name] = Object.fromEntries(plan.cases.map((entry, i) => [entry.id, i]))
    const cases = plan.cases.filter(() => position++ % count === index - 1)
    if (cases.length > 0) mine.push({ ...plan, cases })
  }
  return { plans: mine, order }
}
