import { describe, expect, it } from 'vitest'
import { caseJobs } from '../../src/runner/jobs.js'
import { EvalProgress, InDeclarationOrder } from '../../src/runner/progress.js'
import { judged } from '../helpers/results.js'
import { planOf } from '../helpers/plans.js'

describe('EvalProgress', () => {
  it('makes a case result once its last repeat ends, with the repeats in index order', () => {
    const plan = planOf('e', 2, [], { repeat: 3 })
    const progress = new EvalProgress(plan)
    progress.scheduleAll()
    const jobs = [...caseJobs(plan, 0, 0, plan.cases.length)]
    const first = jobs.filter((entry) => entry.slot === 0).reverse()
    expect(progress.addSample(first[0]!.job, 0, judged({ index: 2 }))).toBeUndefined()
    expect(progress.addSample(first[1]!.job, 0, judged({ index: 1, status: 'fail' }))).toBeUndefined()
    const result = progress.addSample(first[2]!.job, 0, judged({ index: 0 }))
    expect(result).toMatchObject({ id: 'c0', status: 'fail', repeats: { passed: 2, total: 3 }, flaky: true })
    expect(result!.samples.map((sample) => sample.index)).toEqual([0, 1, 2])
    expect(progress.ran()).toEqual([result])
  })

  it('lists ended cases in plan order (case, then variant), whatever order they ended in', () => {
    const plan = planOf('e', 2, ['a', 'b'])
    const progress = new EvalProgress(plan)
    progress.scheduleAll()
    for (const { job, slot } of [...caseJobs(plan, 0, 0, 2)].reverse()) progress.addSample(job, slot, judged())
    expect(progress.ran().map((entry) => `${entry.id} ${entry.variant}`)).toEqual(['c0 a', 'c0 b', 'c1 a', 'c1 b'])
  })

  it('hands on each ended case once every earlier case (plan order) has ended, each once', () => {
    const plan = planOf('e', 3, ['a', 'b'])
    const progress = new EvalProgress(plan)
    progress.scheduleAll()
    const jobs = [...caseJobs(plan, 0, 0, 3)]
    const end = (slot: number) => {
      const { job } = jobs.find((entry) => entry.slot === slot)!
      progress.addSample(job, slot, judged())
      return progress.takeInOrder().map((entry) => `${entry.id} ${entry.variant}`)
    }
    expect(end(1)).toEqual([])
    expect(end(2)).toEqual([])
    expect(end(0)).toEqual(['c0 a', 'c0 b', 'c1 a'])
    expect(end(5)).toEqual([])
    expect(end(3)).toEqual(['c1 b'])
    expect(end(4)).toEqual(['c2 a', 'c2 b'])
    expect(progress.takeInOrder()).toEqual([])
  })

  it('is ready to finish at its last case when every case was scheduled at once', () => {
    const progress = new EvalProgress(planOf('e', 3))
    progress.scheduleAll()
    expect([progress.caseEnded(), progress.caseEnded(), progress.caseEnded()]).toEqual([false, false, true])
  })

  it('in batches, settles the batch at its last case and is ready to finish only once closed', async () => {
    const progress = new EvalProgress(planOf('e', 4, ['a', 'b']))
    let settled = false
    const batch = progress.scheduleBatch(0, 2).then(() => (settled = true))
    for (let i = 0; i < 3; i++) expect(progress.caseEnded()).toBe(false)
    await Promise.resolve()
    expect(settled).toBe(false)
    expect(progress.caseEnded()).toBe(false)
    await batch
    expect(settled).toBe(true)
    void progress.scheduleBatch(2, 4)
    progress.close({ reason: 'cases exhausted', casesRun: 4, design: { alpha: 0.05, spending: 'pocock', horizon: 4, batch: 2 }, looks: {} })
    expect([progress.caseEnded(), progress.caseEnded(), progress.caseEnded(), progress.caseEnded()]).toEqual([false, false, false, true])
    expect(progress.sequential).toMatchObject({ reason: 'cases exhausted' })
  })
})

describe('InDeclarationOrder', () => {
  it('passes results on in declaration order when they arrive out of order', () => {
    const heard: string[] = []
    const order = new InDeclarationOrder<string>(4, (name) => heard.push(name))
    order.set(2, 'third')
    expect(heard).toEqual([])
    order.set(0, 'first')
    expect(heard).toEqual(['first'])
    order.set(3, 'fourth')
    expect(heard).toEqual(['first'])
    order.set(1, 'second')
    expect(heard).toEqual(['first', 'second', 'third', 'fourth'])
  })

  it('keeps the gaps of results never set: later ones wait, and values() holds what arrived, in order', () => {
    const heard: string[] = []
    const order = new InDeclarationOrder<string>(3, (name) => heard.push(name))
    order.set(2, 'third')
    order.set(0, 'first')
    expect(heard).toEqual(['first'])
    expect([order.has(0), order.has(1), order.has(2)]).toEqual([true, false, true])
    expect(order.values()).toEqual(['first', 'third'])
  })
})
