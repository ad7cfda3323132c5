import { describe, expect, it } from 'vitest'
import { discordantBoundaries, discordantGroupSequential, DiscordantBoundary, spentAlpha } from '../../src/stats/group-sequential.js'
import { clopperPearsonInterval } from '../../src/stats/intervals.js'
import { mcnemarExactPower, mcnemarSampleSize } from '../../src/stats/power.js'
import { seededRandom } from '../../src/stats/random.js'
import { binomialTest, mcnemarExact } from '../../src/stats/tests.js'
import { pairedProportionSampleSize } from '../../src/stats/intervals.js'

describe('group-sequential exact McNemar', () => {
  it('with one look is the exact McNemar test, its interval Clopper-Pearson', () => {
    for (const [b, c] of [[9, 28], [3, 10], [50, 50], [12, 1], [100, 125], [0, 7]] as const) {
      const result = discordantGroupSequential([{ cases: 500, discordant: b + c, variantWins: c }], { alpha: 0.05, spending: 'pocock', horizon: 500 })
      expect(result.pValue).toBeCloseTo(mcnemarExact(b, c).pValue, 12)
      const exact = clopperPearsonInterval(c, b + c, 0.95)
      expect(result.theta.low).toBeCloseTo(exact.low, 9)
      expect(result.theta.high).toBeCloseTo(exact.high, 9)
      expect(result.crossedAt === 0).toBe(result.pValue < 0.05)
    }
  })

  it('spends alpha as Lan-DeMets: Pocock alpha ln(1 + (e - 1) t), all of it at t = 1', () => {
    expect(spentAlpha('pocock', 0.05, 0.5)).toBeCloseTo(0.05 * Math.log(1 + (Math.E - 1) / 2), 15)
    expect(spentAlpha('pocock', 0.05, 1)).toBe(0.05)
    // O'Brien-Fleming type: 2 - 2 Phi(1.959964 / sqrt(0.25)) = 8.857e-5.
    expect(spentAlpha('obrien-fleming', 0.05, 0.25)).toBeCloseTo(8.8574e-5, 8)
  })

  it('sets each boundary so that the exact crossing probability under H0 stays within the alpha spent', () => {
    // Enumerate every path of a small design exactly: 3 looks at 6, 12 and 20 discordant pairs.
    const looks = [6, 12, 20].map((discordant, k) => ({ cases: 10 * (k + 1), discordant, variantWins: 0 }))
    const boundaries = discordantBoundaries(looks, { alpha: 0.05, spending: 'pocock', horizon: 30 })
    let crossed = 0
    for (let path = 0; path < 2 ** 20; path++) {
      let wins = 0
      let m = 0
      for (const [k, look] of looks.entries()) {
        for (; m < look.discordant; m++) if (path & (1 << m)) wins++
        if (Math.max(wins, m - wins) >= boundaries[k]!) {
          crossed++
          break
        }
      }
    }
    expect(crossed / 2 ** 20).toBeLessThanOrEqual(0.05)
    expect(crossed / 2 ** 20).toBeGreaterThan(0.03)
  })

  it('has its p-value below alpha exactly when a boundary was crossed, and the interval agrees', () => {
    const random = seededRandom(31)
    for (let run = 0; run < 150; run++) {
      const c = 0.1 + 0.2 * random()
      const looks = []
      let discordant = 0
      let wins = 0
      for (let cases = 10; cases <= 60; cases += 10) {
        for (let i = 0; i < 10; i++) {
          const u = random()
          if (u < c) (discordant++, wins++)
          else if (u < 0.3) discordant++
        }
        looks.push({ cases, discordant, variantWins: wins })
      }
      const result = discordantGroupSequential(looks, { alpha: 0.05, spending: 'pocock', horizon: 60 })
      expect(result.pValue < 0.05).toBe(result.crossedAt !== undefined)
      expect(result.theta.low > 0.5 || result.theta.high < 0.5).toBe(result.pValue < 0.05)
    }
  })

  it('never rejects a true null more often than alpha, however the looks fall (seeded A/A)', () => {
    const random = seededRandom(99)
    const runs = 3000
    let rejected = 0
    for (let run = 0; run < runs; run++) {
      const boundary = new DiscordantBoundary({ alpha: 0.05, spending: 'pocock', horizon: 200 })
      let discordant = 0
      let wins = 0
      for (let cases = 10; cases <= 200; cases += 10) {
        for (let i = 0; i < 10; i++) {
          const u = random()
          if (u < 0.15) (discordant++, wins++)
          else if (u < 0.3) discordant++
        }
        if (Math.max(wins, discordant - wins) >= boundary.next({ cases, discordant, variantWins: wins })) {
          rejected++
          break
        }
      }
    }
    // Standard error of a 5% rate over 3,000 runs: 0.4 points; the design is exact, so at most 5%.
    expect(rejected / runs).toBeLessThanOrEqual(0.05 + 2 * 0.004)
  })
})

describe('exact McNemar power (issue 13, item 4)', () => {
  it('sizes 0.60 -> 0.70 with 31.6% discordant pairs at 262 cases, where Connor says 246 and delivers 77%', () => {
    const { n, power } = mcnemarSampleSize(0.316, 0.1)
    expect(n).toBe(262)
    expect(power).toBeGreaterThanOrEqual(0.8)
    expect(mcnemarExactPower(n - 1, 0.316, 0.1)).toBeLessThan(0.8)
    expect(pairedProportionSampleSize(0.316, 0.1)).toBe(246)
    expect(mcnemarExactPower(246, 0.316, 0.1)).toBeLessThan(0.78)
  })

  it('computes power by summing the exact conditional test over the discordant count', () => {
    // n = 3 and share 1: every pair discordant; exact McNemar can never reject with 3 pairs.
    expect(mcnemarExactPower(3, 1, 0.5)).toBe(0)
    // n = 6, share 1, theta = 1: always 6 of 6, p = 2 / 64 < 0.05, so power 1.
    expect(mcnemarExactPower(6, 1, 1)).toBeCloseTo(1, 12)
    expect(binomialTest(6, 6).pValue).toBeCloseTo(2 / 64, 12)
  })
})
