import { lnBeta } from './dist.js'
import { count, finiteValues, positive } from './validate.js'

/**
 * Always-valid tests for `--until-significant`: evidence that may be looked at after every
 * case without raising the false-positive rate above alpha (Ville's inequality). See
 * ../shared/notes/statistics.md, section 5.
 */

/**
 * Paired pass/fail: a Beta(a, a) mixture martingale on the discordant pairs. Under H0 each
 * discordant pair favours B with probability 1/2; Lambda = 2^m B(a + c, a + b) / B(a, a).
 */
export function discordantEvidence(b: number, c: number, a = 1): number {
  count('b', b)
  count('c', c)
  positive('a', a)
  const m = b + c
  return Math.exp(m * Math.LN2 + lnBeta(a + c, a + b) - lnBeta(a, a))
}

const BETS = [-0.5, -0.25, -0.1, -0.05, 0.05, 0.1, 0.25, 0.5]

/**
 * Paired scores in [0, 1] (so differences in [-1, 1]): a betting e-process (Waudby-Smith and
 * Ramdas 2023), the mean over fixed bets lambda of prod (1 + lambda d_i). Exactly valid, with
 * no variance to plug in.
 */
export function bettingEvidence(differences: number[]): number {
  finiteValues('differences', differences)
  let total = 0
  for (const lambda of BETS) {
    let logWealth = 0
    for (const d of differences) logWealth += Math.log1p(lambda * Math.max(-1, Math.min(1, d)))
    total += Math.exp(logWealth)
  }
  return total / BETS.length
}

/** Reject H0 once the evidence reaches 1/alpha; the always-valid p-value is min(1, 1/evidence). */
export function alwaysValidP(evidence: number): number {
  if (Number.isNaN(evidence) || evidence < 0) throw new RangeError(`evidence is ${String(evidence)}; it must be a number, 0 or more.`)
  return Math.min(1, 1 / evidence)
}
