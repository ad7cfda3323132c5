import { describe, expect, it } from 'vitest'
import type { Job } from '../../src/runner/jobs.js'
import { EvalProgress } from '../../src/runner/progress.js'
import { sequentialJobs, type SequentialOptions } from '../../src/runner/sequential.js'
import type { SequentialOutcome } from '../../src/results/types.js'
import { judged } from '../helpers/results.js'
import { planOf } from '../helpers/plans.js'

/**
 * Runs the loop as the worker pool does, one sample at a time: `passes` says whether a variant
 * passes a case. Returns the outcome and how many samples the loop handed out.
 */
async function drive(cases: number, options: SequentialOptions, passes: (variant: string, caseIndex: number) => boolean, stopAfter?: number) {
  const progress = new EvalProgress(planOf('e', cases, ['base', 'new']))
  const stop = new AbortController()
  const loop = sequentialJobs(progress, 0, 'base', options, stop.signal)
  let samples = 0
  let next: IteratorResult<Job, SequentialOutcome | undefined>
  while (!(next = await loop.next()).done) {
    const { job, slot } = next.value
    samples++
    const caseIndex = Number(job.testCase.id.slice(1))
    progress.addSample(job, slot, judged({ index: job.sample, status: passes(job.variant.name!, caseIndex) ? 'pass' : 'fail' }))
    // The loop decides when the eval ends; a case ending never finishes it by itself.
    expect(progress.caseEnded()).toBe(false)
    if (samples === stopAfter) stop.abort()
  }
  return { outcome: next.value, samples, ran: progress.ran().length }
}

describe('the sequential loop', () => {
  it("stops at 'significant' once the new variant crosses its boundary, before the cases run out", async () => {
    const { outcome, samples } = await drive(200, { maxCases: 200, batch: 10, alpha: 0.05 }, (variant) => variant === 'new')
    expect(outcome).toMatchObject({ reason: 'significant', design: { horizon: 200, batch: 10 } })
    expect(outcome!.casesRun).toBeLessThan(200)
    expect(outcome!.casesRun % 10).toBe(0)
    expect(samples).toBe(2 * outcome!.casesRun)
    const looks = outcome!.looks['new']!
    expect(looks.map((look) => look.cases)).toEqual(Array.from({ length: looks.length }, (_, i) => 10 * (i + 1)))
    expect(looks.at(-1)!.variantWins).toBeGreaterThanOrEqual(looks.at(-1)!.boundary)
  })

  it("stops at 'max cases' when --max-cases comes before the eval's last case, with a last short batch", async () => {
    const { outcome, samples } = await drive(40, { maxCases: 15, batch: 10, alpha: 0.05 }, () => true)
    expect(outcome).toMatchObject({ reason: 'max cases', casesRun: 15, design: { horizon: 15 } })
    expect(outcome!.looks['new']!.map((look) => look.cases)).toEqual([10, 15])
    expect(samples).toBe(30)
  })

  it("stops at 'cases exhausted' when the eval has fewer cases than --max-cases", async () => {
    const { outcome, samples } = await drive(25, { maxCases: 1000, batch: 10, alpha: 0.05 }, (_, caseIndex) => caseIndex % 2 === 0)
    expect(outcome).toMatchObject({ reason: 'cases exhausted', casesRun: 25, design: { horizon: 25 } })
    expect(outcome!.looks['new']!.map((look) => look.cases)).toEqual([10, 20, 25])
    expect(samples).toBe(50)
  })

  it('hands out no further batch once the run is stopped, and reaches no outcome', async () => {
    const { outcome, samples, ran } = await drive(100, { maxCases: 100, batch: 10, alpha: 0.05 }, () => true, 5)
    expect(outcome).toBeUndefined()
    expect(samples).toBe(20)
    expect(ran).toBe(20)
  })
})
