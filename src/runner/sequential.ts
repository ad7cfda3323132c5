import type { CaseResult } from '../results/types.js'
import { alwaysValidP, bettingEvidence, discordantEvidence } from '../stats/sequential.js'

/** `--until-significant`: how far to go and how big each step is. */
export interface SequentialOptions {
  maxCases: number
  /** Cases added per look. @default 10 */
  batch: number
  alpha: number
}

/** Where one variant stands against the baseline after a look. */
export interface SequentialLook {
  variant: string
  /** Cases with a pass verdict under both variants. */
  n: number
  /** Always-valid p of "no difference in pass rate": valid however often it is looked at. */
  pValue: number
  test: string
}

const passShare = (entry: CaseResult) => {
  const judged = entry.samples.filter((sample) => sample.status !== 'error')
  return judged.length === 0 ? undefined : judged.filter((sample) => sample.status === 'pass').length / judged.length
}

/**
 * The always-valid evidence on pass rate for each variant against the baseline: a Beta mixture
 * over discordant pairs when each case has one sample, a betting e-process over case-level
 * differences in pass share otherwise.
 */
export function look(cases: CaseResult[], variants: string[], baseline: string): SequentialLook[] {
  const base = new Map(cases.filter((entry) => entry.variant === baseline).map((entry) => [entry.id, entry]))
  return variants
    .filter((variant) => variant !== baseline)
    .map((variant) => {
      const pairs: [number, number][] = []
      let single = true
      for (const entry of cases) {
        if (entry.variant !== variant || !base.has(entry.id)) continue
        const before = base.get(entry.id)!
        const [a, b] = [passShare(before), passShare(entry)]
        if (a === undefined || b === undefined) continue
        if (before.samples.length > 1 || entry.samples.length > 1) single = false
        pairs.push([a, b])
      }
      if (single) {
        const worse = pairs.filter(([a, b]) => a > b).length
        const better = pairs.filter(([a, b]) => b > a).length
        return { variant, n: pairs.length, pValue: alwaysValidP(discordantEvidence(worse, better)), test: 'always-valid Beta-mixture on discordant pairs' }
      }
      return { variant, n: pairs.length, pValue: alwaysValidP(bettingEvidence(pairs.map(([a, b]) => b - a))), test: 'always-valid betting e-process on case pass shares' }
    })
}

/** Stop once every variant's evidence clears alpha (Bonferroni over the variants). */
export function settled(looks: SequentialLook[], alpha: number): boolean {
  return looks.length > 0 && looks.every((entry) => entry.pValue < alpha / looks.length)
}
