import type { ResolvedConfig } from '../config/schema.js'
import { AssayError } from '../errors.js'
import { ResponseCache } from '../recording/cache.js'
import { Recorder } from '../recording/recorder.js'
import { HistoryStore, recordRun } from '../history/store.js'
import { ContextWindows } from '../providers/context-window.js'
import { FixtureStore } from '../recording/store.js'
import type { Reporter } from '../report/types.js'
import { redactReporters } from '../report/redact.js'
import { Redactor } from '../output/index.js'
import type { SelectOptions } from './select.js'
import { RESULTS_SCHEMA_VERSION, type CaseResult, type EvalResult, type RunResults, type SampleResult, type TemplateCoverage } from '../results/types.js'
import { TemplateLibrary } from '../templates/library.js'
import { assayVersion } from '../version.js'
import { caseResult, evalResult, runStatus, shapeOf, summarize } from './aggregate.js'
import { liveProviders, type ProviderFactory } from './live.js'
import { shardPlans, type Shard } from './shard.js'
import type { Rerun } from './rerun.js'
import type { SequentialOptions } from './sequential.js'
import type { EvalPlan } from './plan.js'
import { templateCoverage } from './coverage.js'
import { runSample, type SampleJob } from './sample.js'
import { planRun } from './plan-run.js'
import { inPlanOrder } from './order.js'


export interface RunOptions extends SelectOptions {
  config: ResolvedConfig
  /** The variant others are compared against; the first declared when undefined. */
  baselineVariant?: string
  /** Check each eval against its saved baseline (`--baseline`); a regression fails it. */
  checkBaseline?: boolean
  /** Evals with variants add cases in batches until the group-sequential exact McNemar test settles pass rate. */
  untilSignificant?: SequentialOptions
  /** Aborted on Ctrl-C: no new sample starts; results hold what finished. */
  stop?: AbortSignal
  /** Aborted a few seconds later: calls still in flight are cut off. */
  abortCalls?: AbortSignal
  /** Run one shard's share of the cases (`--shard i/n`); the results carry what merging needs. */
  shard?: Shard
  /** `--failed`, `--retry-errors` or `--resume`: run some cases again, keep the last results of the rest. */
  rerun?: Rerun
  reporters?: Reporter[]
  /** Replaces the Ollama client, in tests. */
  provider?: ProviderFactory
  now?: () => number
  clock?: () => Date
}


/** Runs the selected evals and returns their results; reporters hear about each case as it ends. */
export async function runEvals(options: RunOptions): Promise<RunResults> {
  const { config } = options
  const redactor = new Redactor(config.redact)
  // Reporters hear redacted results; the run itself judges the real text.
  const reporters = redactReporters(options.reporters ?? [], redactor)
  const now = options.now ?? (() => performance.now())
  const startedAt = (options.clock ?? (() => new Date()))()
  const started = now()
  const planned = await planRun(config, options)
  const split = options.shard && shardPlans(planned, options.shard)
  const rerun = options.rerun
  // The run's share (a shard's, or all of it); a rerun runs the selected cases of that share, and
  // every eval in it still gets a result, from kept cases too.
  const scope = split ? split.plans : planned
  const plans = rerun ? scope.map((plan) => ({ ...plan, cases: plan.cases.filter((entry) => rerun.selects(plan.name, entry.id)) })) : scope
  const baselines = plans.map((plan) => baselineOf(plan, options.baselineVariant))
  if (options.untilSignificant) {
    for (const plan of plans) {
      const primary = plan.spec.primaryMetric
      if (plan.spec.variants && primary !== undefined && primary !== 'pass rate') {
        throw new AssayError('ASSAY_USAGE', `--until-significant watches pass rate, but eval "${plan.name}" has primaryMetric "${primary}".`, {
          file: plan.file,
          fix: 'Run it without --until-significant (a fixed run tests any primary metric), or make pass rate its primary metric.',
        })
      }
    }
  }
  if (options.shard && (options.untilSignificant || options.checkBaseline)) {
    throw new AssayError('ASSAY_USAGE', '--shard does not combine with --until-significant or --baseline.', {
      fix: 'Merge the shards with `assay merge-reports` first; sequential runs decide as they go, so they run unsharded.',
    })
  }
  const live = liveProviders(config, options.provider)
  const cache = config.cache && new ResponseCache(config.root, config.cache)
  // Model metadata comes from the provider the calls go to, and only once a live call is needed.
  const windows = new ContextWindows((model, provider) => live.get(provider).show?.(model) ?? Promise.resolve({}))
  const recorder = new Recorder(config.record, new FixtureStore(config.root, config.fixturesDir), live.get, options.clock, cache, redactor, windows)

  const cases = plans.reduce((sum, plan) => sum + plan.cases.length * plan.variants.length, 0)
  const samples = plans.reduce((sum, plan) => sum + plan.cases.length * plan.variants.length * plan.repeat, 0)
  const activity = { callsInFlight: live.callsInFlight }
  const warnings = plans.flatMap((plan) => plan.warnings)
  for (const reporter of reporters) reporter.onRunStart?.({ evals: plans.length, cases, samples, record: config.record, warnings, activity })

  // Results are kept case-major, variant-minor: slot = caseIndex * variants + variantIndex.
  const progress = plans.map((plan) => ({
    started: undefined as number | undefined,
    /** Samples of cases still running, by slot; a finished case's entry is cleared. */
    samples: new Array<SampleResult[] | undefined>(plan.cases.length * plan.variants.length),
    cases: new Array<CaseResult | undefined>(plan.cases.length * plan.variants.length),
    scheduled: 0,
    completed: 0,
    /** No more cases will be scheduled: the eval finishes when the scheduled ones do. */
    closed: false,
    batchDone: undefined as (() => void) | undefined,
    sequential: undefined as EvalResult['sequential'],
  }))
  const results = new Array<EvalResult>(plans.length)
  let reported = 0

  /** Case results carried over from the last run by a rerun: their calls are not this run's. */
  const kept = new Set<CaseResult>()
  /** The cases a rerun keeps from the last results, merged with the ones run now, in plan order. */
  const withKept = (plan: EvalPlan, ran: CaseResult[]): CaseResult[] => {
    if (!rerun) return ran
    for (const entry of rerun.kept(plan.name)) kept.add(entry)
    const position = new Map(scope.find((p) => p.name === plan.name)!.cases.map((entry, i) => [entry.id, i]))
    const cases = [...rerun.kept(plan.name).filter((entry) => position.has(entry.id)), ...ran]
    return inPlanOrder(cases, position, plan.variants.map((variant) => variant.name))
  }

  const finish = async (evalIndex: number): Promise<void> => {
    const plan = plans[evalIndex]!
    const state = progress[evalIndex]!
    const ran = withKept(plan, state.cases.filter((entry): entry is CaseResult => entry !== undefined))
    const baseline = baselines[evalIndex]
    const settings = { primaryMetric: plan.spec.primaryMetric, minimumEffect: plan.spec.minimumEffect, sequential: state.sequential }
    // The statistics load only for evals with variants, and the baseline store only with --baseline.
    const comparisons = baseline === undefined ? [] : (await import('../compare/index.js')).compareVariants(ran, plan.variants.map((variant) => variant.name!), baseline, settings)
    const finished = { ...evalResult(shapeOf(plan), ran, comparisons, now() - (state.started ?? now())), sequential: state.sequential }
    results[evalIndex] = options.checkBaseline ? await withBaseline(config, finished) : finished
    // Reporters hear evals in declaration order, so logs read the same from run to run.
    while (reported < results.length && results[reported]) {
      for (const reporter of reporters) reporter.onEvalEnd?.(results[reported]!)
      reported++
    }
  }

  async function* jobs(): AsyncGenerator<Job> {
    for (const [evalIndex, plan] of plans.entries()) {
      const state = progress[evalIndex]!
      const baseline = baselines[evalIndex]
      // An eval a rerun left no case to run has nothing to look at: it is finished from its kept cases.
      const sequential = options.untilSignificant && baseline !== undefined && plan.cases.length > 0 ? options.untilSignificant : undefined
      if (options.stop?.aborted) return
      if (!sequential) {
        state.scheduled = plan.cases.length * plan.variants.length
        state.closed = true
        for (const job of caseJobs(plan, evalIndex, 0, plan.cases.length)) {
          if (options.stop?.aborted) return
          yield job
        }
        continue
      }
      const limit = Math.min(plan.cases.length, sequential.maxCases)
      const { SequentialMonitor } = await import('./sequential.js')
      const monitor = new SequentialMonitor(
        plan.variants.map((variant) => variant.name!),
        baseline!,
        sequential,
        Math.max(1, limit),
      )
      for (let next = 0; ; ) {
        const end = Math.min(next + sequential.batch, limit)
        state.scheduled += (end - next) * plan.variants.length
        const done = new Promise<void>((resolve) => (state.batchDone = resolve))
        yield* caseJobs(plan, evalIndex, next, end)
        next = end
        await done
        if (options.stop?.aborted) return
        const ran = state.cases.filter((entry): entry is CaseResult => entry !== undefined)
        const reason = monitor.look(ran, next) ? 'significant' : next < limit ? undefined : limit < plan.cases.length ? 'max cases' : 'cases exhausted'
        if (reason) {
          state.sequential = monitor.outcome(reason, next)
          state.closed = true
          await finish(evalIndex)
          break
        }
      }
    }
  }

  await forEachConcurrent(jobs(), workerCount(config), async ({ job, evalIndex, slot }) => {
    const state = progress[evalIndex]!
    state.started ??= now()
    const sample = await runSample(job, recorder, now, { stop: options.stop, abort: options.abortCalls })
    const done = (state.samples[slot] ??= [])
    done.push(sample)
    if (done.length < job.plan.repeat) return
    // An exact-size copy: the growing array keeps spare slots, and results live to the end of the run.
    const result = caseResult(job.testCase, job.variant.name, done.slice().sort((a, b) => a.index - b.index), job.plan.spec.repeatGate)
    state.samples[slot] = undefined
    state.cases[slot] = result
    for (const reporter of reporters) reporter.onCaseEnd?.(job.plan.name, result)
    if (++state.completed < state.scheduled) return
    if (state.closed) await finish(evalIndex)
    else state.batchDone?.()
  })

  // Evals a rerun selected no case of still report, from the cases they keep.
  if (rerun) for (const [evalIndex, plan] of plans.entries()) if (plan.cases.length === 0 && !results[evalIndex]) await finish(evalIndex)
  const interrupted = options.stop?.aborted === true
  if (interrupted) {
    // Evals cut off part-way keep the cases that finished; evals never started are left out.
    for (const [evalIndex, state] of progress.entries()) if (!results[evalIndex] && state.started !== undefined) await finish(evalIndex)
  }
  const ran = results.filter((result): result is EvalResult => result !== undefined)
  // Coverage speaks for the whole suite, so only a full run measures it (and can fail its gate); a
  // shard plans the whole suite too, and carries it for merge-reports, which owns the gate.
  const full = !rerun && !interrupted && (options.filters ?? []).length === 0 && options.namePattern === undefined
  const coverage = full ? withGate(await templateCoverage(await TemplateLibrary.open(config.root, config.templatesDir), planned), config.coverage.templates) : undefined
  const run: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    assayVersion,
    status: interrupted || (coverage?.gate?.pass === false && !options.shard) ? 'fail' : runStatus(ran),
    interrupted,
    selection: { filters: options.filters ?? [], namePattern: options.namePattern },
    startedAt: startedAt.toISOString(),
    durationMs: now() - started,
    record: config.record,
    summary: summarize(ran, kept),
    ...(coverage ? { coverage } : {}),
    evals: ran,
    ...(options.shard && split
      ? {
          shard: {
            ...options.shard,
            evalOrder: planned.map((plan) => plan.name),
            caseOrder: split.order,
            baselines: Object.fromEntries(planned.map((plan) => [plan.name, baselineOf(plan, options.baselineVariant)])),
          },
        }
      : {}),
  }
  // A shard holds part of each eval, and an interrupted run part of the evals: neither is history.
  const final = config.history && !options.shard && !interrupted ? await recordRun(run, new HistoryStore(config.root, config.history, redactor), config.root) : run
  // Report files are written side by side: one reporter's disk writes overlap another's rendering.
  await Promise.all(reporters.map((reporter) => reporter.onRunEnd?.(final)))
  return final
}

function withGate(coverage: TemplateCoverage, min: number | undefined): TemplateCoverage {
  return min === undefined ? coverage : { ...coverage, gate: { min, pass: coverage.share >= min } }
}

interface Job {
  job: SampleJob
  evalIndex: number
  slot: number
}

/** Cases [from, to) of an eval, each on every variant in turn, so paired samples run close together. */
function* caseJobs(plan: EvalPlan, evalIndex: number, from: number, to: number): Generator<Job> {
  for (let caseIndex = from; caseIndex < to; caseIndex++) {
    const testCase = plan.cases[caseIndex]!
    for (const [variantIndex, variant] of plan.variants.entries()) {
      const slot = caseIndex * plan.variants.length + variantIndex
      for (let sample = 0; sample < plan.repeat; sample++) yield { job: { plan, variant, testCase, sample }, evalIndex, slot }
    }
  }
}

/** Adds the baseline check; a significant regression beyond the margin fails the eval. */
async function withBaseline(config: ResolvedConfig, result: EvalResult): Promise<EvalResult> {
  const [{ checkAgainstBaseline }, { baselinePath, readBaseline }] = await Promise.all([import('../baselines/gate.js'), import('../baselines/store.js')])
  const file = baselinePath(config.baselinesDir, result.name)
  const baseline = await readBaseline(config.root, config.baselinesDir, result.name)
  if (!baseline) return { ...result, baseline: { status: 'missing', file } }
  const checks = checkAgainstBaseline(result, baseline, config.regressionMargin)
  const regressed = checks.some((check) => check.regression)
  return { ...result, status: regressed ? 'fail' : result.status, baseline: { status: 'checked', file, checks } }
}

/** The baseline variant of an eval with variants: the one named by --baseline-variant, else the first. */
function baselineOf(plan: EvalPlan, wanted: string | undefined): string | undefined {
  if (!plan.spec.variants) return undefined
  const names = plan.variants.map((variant) => variant.name!)
  if (wanted === undefined) return names[0]
  if (!names.includes(wanted)) {
    throw new AssayError('ASSAY_USAGE', `--baseline-variant "${wanted}" is not a variant of eval "${plan.name}" (it has ${names.join(', ')}).`, {
      file: plan.file,
      fix: 'Name one of its variants, or narrow the run with -t to the evals that have it.',
    })
  }
  return wanted
}

/**
 * Samples in progress at once. More than the per-host call limit, so that rendering, fixture reads
 * and assertions overlap the model calls and the server is never left idle.
 */
function workerCount(config: ResolvedConfig): number {
  const widest = Math.max(config.concurrency, ...Object.values(config.providers).map((provider) => provider.concurrency * provider.hosts.length))
  return Math.max(16, widest * 4)
}

/** How long the workers may keep the event loop busy before letting timers, signals and I/O in. */
const YIELD_EVERY_MS = 20

/**
 * Pulls items from a generator into `width` workers, so memory stays bounded whatever the run size.
 * A replay never waits on I/O (fixtures are read synchronously), so the workers step aside every
 * YIELD_EVERY_MS: Ctrl-C, the progress line and writes to stdout still get their turn.
 */
async function forEachConcurrent<T>(items: AsyncIterator<T>, width: number, work: (item: T) => Promise<void>): Promise<void> {
  let busySince = performance.now()
  // One pause shared by every worker. With one setImmediate per worker, Node ran the workers'
  // immediates back to back in a single check phase, each resumed worker busy for another
  // YIELD_EVERY_MS, so timers and signals waited width x YIELD_EVERY_MS (about 370 ms measured).
  let pause: Promise<void> | undefined
  const stepAside = () =>
    (pause ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        pause = undefined
        busySince = performance.now()
        resolve()
      }),
    ))
  const worker = async (): Promise<void> => {
    for (let next = await items.next(); !next.done; next = await items.next()) {
      await work(next.value)
      if (performance.now() - busySince > YIELD_EVERY_MS) await stepAside()
    }
  }
  await Promise.all(Array.from({ length: width }, worker))
}
