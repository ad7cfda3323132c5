/**
 * What `--until-significant` saves, by seeded simulation (issue 13). Paired pass/fail cases are
 * drawn from a 2x2 table; the sequential design looks every 10 cases with the group-sequential
 * exact McNemar test of src/stats/group-sequential.ts and stops at a boundary or at its maximum.
 * It is compared with the fixed-n exact McNemar test sized for 80% power at the design effect.
 * Run with `npm run bench:sequential` (under a minute on one core); `-- --runs N` changes the
 * simulation size, `-- --search` prints the power and mean cases of other maxima and spendings.
 */
import { parseArgs } from 'node:util'
import { DiscordantBoundary, type Spending } from '../src/stats/group-sequential.js'
import { mcnemarExactPower, mcnemarSampleSize, meanSampleSize } from '../src/stats/power.js'
import { normalDraw, seededRandom } from '../src/stats/random.js'
import { quantile } from '../src/stats/describe.js'
import { pairedTTest } from '../src/stats/tests.js'
import { defaultMaxCases, SEQUENTIAL_BATCH, SEQUENTIAL_SPENDING } from '../src/runner/sequential.js'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20000' }, search: { type: 'boolean', default: false }, seed: { type: 'string', default: '13' } } })
const RUNS = Number(values.runs)
const ALPHA = 0.05

/** A true 2x2 table of paired outcomes: b = only the baseline passes, c = only the variant passes. */
interface Truth {
  label: string
  b: number
  c: number
}

/** The design effect of issue 13: 0.60 -> 0.70 with 31.6% discordant pairs. */
const DESIGN: Truth = { label: '0.60 -> 0.70 (design effect)', b: 0.108, c: 0.208 }
const DOUBLE: Truth = { label: '0.60 -> 0.80 (twice the effect)', b: 0.06, c: 0.26 }
const NULL: Truth = { label: 'A/A, 0.60 -> 0.60', b: 0.158, c: 0.158 }

interface Outcome {
  cases: number[]
  rejected: number
}

/** `runs` sequential runs: the cases each used, and how many rejected H0. */
function simulate(truth: Truth, design: { maxCases: number; spending: Spending }, runs: number, seed: number): Outcome {
  const random = seededRandom(seed)
  const cases: number[] = []
  let rejected = 0
  for (let run = 0; run < runs; run++) {
    const boundary = new DiscordantBoundary({ alpha: ALPHA, spending: design.spending, horizon: design.maxCases })
    let discordant = 0
    let wins = 0
    let n = 0
    for (;;) {
      const end = Math.min(n + SEQUENTIAL_BATCH, design.maxCases)
      for (; n < end; n++) {
        const u = random()
        if (u < truth.c) {
          discordant++
          wins++
        } else if (u < truth.b + truth.c) discordant++
      }
      const u = boundary.next({ cases: n, discordant, variantWins: wins })
      if (Math.max(wins, discordant - wins) >= u) {
        rejected++
        break
      }
      if (n >= design.maxCases) break
    }
    cases.push(n)
  }
  return { cases, rejected }
}

const share = (k: number, n: number) => `${((100 * k) / n).toFixed(1)}% ± ${((100 * Math.sqrt((k / n) * (1 - k / n))) / Math.sqrt(n)).toFixed(1)}`
const meanOf = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length

const started = performance.now()
const delta = DESIGN.c - DESIGN.b
const fixed = mcnemarSampleSize(DESIGN.b + DESIGN.c, delta, { alpha: ALPHA })
const maxCases = defaultMaxCases(fixed.n)

if (values.search) {
  for (const spending of ['obrien-fleming', 'pocock'] as Spending[]) {
    for (const factor of [1, 1.1, 1.2, 1.3]) {
      const design = { maxCases: Math.ceil((factor * fixed.n) / 10) * 10, spending }
      const power = simulate(DESIGN, design, 4000, 1)
      const twice = simulate(DOUBLE, design, 4000, 2)
      console.log(`${spending.padEnd(15)} max ${design.maxCases}: power ${share(power.rejected, 4000)}, mean ${meanOf(power.cases).toFixed(0)} (${((1 - meanOf(power.cases) / fixed.n) * 100).toFixed(1)}% saved); twice: mean ${meanOf(twice.cases).toFixed(0)}`)
    }
  }
  process.exit(0)
}

console.log(`Sequential exact McNemar vs fixed exact McNemar, alpha ${ALPHA}, looks every ${SEQUENTIAL_BATCH} cases, seed ${values.seed}, ${RUNS.toLocaleString('en')} runs a setting.`)
console.log(`Fixed design for 80% power at the design effect (${DESIGN.label}): n = ${fixed.n} (exact power ${(fixed.power * 100).toFixed(1)}%).`)
console.log(`Sequential design: ${SEQUENTIAL_SPENDING === 'pocock' ? 'Pocock' : "O'Brien-Fleming"}-type spending, at most ${maxCases} cases (${(maxCases / fixed.n).toFixed(2)} x the fixed n, as docs/statistics.md advises).\n`)
console.log('| truth | fixed n (its power) | sequential mean / median cases | rejects H0 | saved vs fixed n of the design | runs |')
console.log('| --- | --- | --- | --- | --- | --- |')
for (const [i, truth] of [DESIGN, DOUBLE, NULL].entries()) {
  const outcome = simulate(truth, { maxCases, spending: SEQUENTIAL_SPENDING }, RUNS, Number(values.seed) + i)
  const mean = meanOf(outcome.cases)
  const median = quantile(outcome.cases, 0.5)
  const fixedPower = truth === NULL ? ALPHA : mcnemarExactPower(fixed.n, truth.b + truth.c, truth.c - truth.b, ALPHA)
  const label = truth === NULL ? 'false positives' : 'power'
  console.log(`| ${truth.label} | ${fixed.n} (${truth === NULL ? 'alpha ' : ''}${(fixedPower * 100).toFixed(1)}%) | ${mean.toFixed(1)} / ${median} | ${label} ${share(outcome.rejected, RUNS)} | ${((1 - mean / fixed.n) * 100).toFixed(1)}% | ${RUNS.toLocaleString('en')} |`)
}

// The "about N more cases" formula for scores, checked: the paired t-test's power at its n.
console.log('\nScore sample sizes (meanSampleSize), simulated power of the paired t-test at that n (normal differences):')
const random = seededRandom(Number(values.seed) + 100)
for (const [sd, effect] of [[0.3, 0.05], [0.2, 0.1], [0.25, 0.15]] as const) {
  const { n, power } = meanSampleSize(sd, effect)
  const runs = Math.min(RUNS, 4000)
  let hits = 0
  for (let run = 0; run < runs; run++) {
    const d = Array.from({ length: n }, () => effect + sd * normalDraw(random))
    if (pairedTTest(d, new Array<number>(n).fill(0)).pValue < ALPHA) hits++
  }
  console.log(`  sd ${sd}, difference ${effect}: n = ${n}, formula ${(power * 100).toFixed(1)}%, simulated ${share(hits, runs)} (${runs.toLocaleString('en')} runs)`)
}
console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s`)
