import type { CaseResult, SampleResult, SequentialOutcome } from '../results/types.js'
import { caseResult } from './aggregate.js'
import type { EvalPlan } from './plan.js'
import type { SampleJob } from './sample.js'

/**
 * One eval's run so far: samples of cases still running, finished cases, and whether more cases
 * will be scheduled. Results are kept case-major, variant-minor: slot = caseIndex * variants + variantIndex.
 */
export class EvalProgress {
  /** When its first sample started; an eval never started is left out of an interrupted run. */
  started: number | undefined
  /** Why an --until-significant eval stopped adding cases, once it has. */
  sequential: SequentialOutcome | undefined
  /** Samples of cases still running, by slot; a finished case's entry is cleared. */
  private readonly samples: (SampleResult[] | undefined)[]
  private readonly cases: (CaseResult | undefined)[]
  private scheduled = 0
  private completed = 0
  /** Cases [0, inOrder) have ended and been handed on by takeInOrder. */
  private inOrder = 0
  /** No more cases will be scheduled: the eval finishes when the scheduled ones do. */
  private closed = false
  private batchDone: (() => void) | undefined

  constructor(readonly plan: EvalPlan) {
    this.samples = new Array<SampleResult[] | undefined>(plan.cases.length * plan.variants.length)
    this.cases = new Array<CaseResult | undefined>(plan.cases.length * plan.variants.length)
  }

  /** Every case is scheduled at once: the eval finishes when they have all ended. */
  scheduleAll(): void {
    this.scheduled = this.plan.cases.length * this.plan.variants.length
    this.closed = true
  }

  /** Cases [from, to) are scheduled as a batch; resolves when every case scheduled so far has ended. */
  scheduleBatch(from: number, to: number): Promise<void> {
    this.scheduled += (to - from) * this.plan.variants.length
    return new Promise<void>((resolve) => (this.batchDone = resolve))
  }

  /** The last batch has ended and no more will come: the caller finishes the eval. */
  close(outcome: SequentialOutcome): void {
    this.sequential = outcome
    this.closed = true
  }

  /** Keeps a sample; when it is its case's last, returns the case's result, else undefined. */
  addSample(job: SampleJob, slot: number, sample: SampleResult): CaseResult | undefined {
    const done = (this.samples[slot] ??= [])
    done.push(sample)
    if (done.length < job.plan.repeat) return undefined
    // An exact-size copy: the growing array keeps spare slots, and results live to the end of the run.
    const result = caseResult(job.testCase, job.variant.name, done.slice().sort((a, b) => a.index - b.index), job.plan.spec.repeatGate)
    this.samples[slot] = undefined
    this.cases[slot] = result
    return result
  }

  /** Counts a case as ended; true when it was the eval's last, so the eval is ready to finish. */
  caseEnded(): boolean {
    if (++this.completed < this.scheduled) return false
    if (this.closed) return true
    this.batchDone?.()
    return false
  }

  /** The cases that have ended since the last call whose every earlier case has too, in plan order. */
  takeInOrder(): CaseResult[] {
    const from = this.inOrder
    while (this.inOrder < this.cases.length && this.cases[this.inOrder] !== undefined) this.inOrder++
    return from === this.inOrder ? [] : (this.cases.slice(from, this.inOrder) as CaseResult[])
  }

  /** The cases that have ended, in plan order. */
  ran(): CaseResult[] {
    return this.cases.filter((entry): entry is CaseResult => entry !== undefined)
  }
}

/**
 * Results by declaration index, passed on in declaration order as soon as every earlier one is in,
 * so reporters' logs read the same from run to run whichever eval finishes first.
 */
export class InDeclarationOrder<T> {
  private readonly results: (T | undefined)[]
  private passed = 0

  constructor(
    length: number,
    private readonly passOn: (result: T) => void,
  ) {
    this.results = new Array<T | undefined>(length)
  }

  set(index: number, result: T): void {
    this.results[index] = result
    while (this.passed < this.results.length && this.results[this.passed] !== undefined) {
      this.passOn(this.results[this.passed]!)
      this.passed++
    }
  }

  has(index: number): boolean {
    return this.results[index] !== undefined
  }

  /** The results set so far, in declaration order. */
  values(): T[] {
    return this.results.filter((result): result is T => result !== undefined)
  }
}
