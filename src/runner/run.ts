import type { ResolvedConfig } from '../config/schema.js'
import { gitOnce } from '../git.js'
import { ResponseCache } from '../recording/cache.js'
import { Recorder } from '../recording/recorder.js'
import { ContextWindows } from '../providers/context-window.js'
import { FixtureStore } from '../recording/store.js'
import type { Reporter } from '../report/types.js'
import { endReports, redactReporters } from '../report/redact.js'
import { Redactor } from '../output/index.js'
import type { EvalResult, RunResults, TemplateCoverage } from '../results/types.js'
import { finishEval, type FinishContext } from './finish.js'
import { liveProviders, type ProviderFactory } from './live.js'
import { planRun } from './plan-run.js'
import { forEachConcurrent, workerCount } from './pool.js'
import { EvalProgress, InDeclarationOrder } from './progress.js'
import type { Rerun } from './rerun.js'
import { templateCoverage } from './coverage.js'
import { coversSuite, runResults } from './run-results.js'
import { runSample } from './sample.js'
import { scheduleJobs } from './schedule.js'
import type { SelectOptions } from './select.js'
import { selectRun } from './selection.js'
import type { SequentialOptions } from './sequential.js'
import type { Shard } from './shard.js'


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
  /** Run one shard's share of the cases (`--shard i/n`); the results carry what merging needs. Not with `untilSignificant` or `checkBaseline` (the CLI refuses the combination: cli/options.ts). */
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
  const { plans: planned, templates } = await planRun(config, options)
  const selection = selectRun(planned, options)
  const { plans, baselines } = selection
  const live = liveProviders(config, options.provider)
  const cache = config.cache && new ResponseCache(config.root, config.cache)
  // Model metadata comes from the provider the calls go to, and only once a live call is needed (or sure).
  const windows = new ContextWindows((model, provider) => live.get(provider).show?.(model) ?? Promise.resolve({}))
  const recorder = new Recorder(config.record, new FixtureStore(config.root, config.fixturesDir), live.get, options.clock, cache, redactor, windows)
  // Each model's context window, asked ahead when every answer comes live. Only for evals with cases
  // to run: no call would wait on the others' lookup, which could only hold the process open.
  recorder.lookAhead(plans.flatMap((plan) => (plan.cases.length === 0 ? [] : plan.variants)))

  const cases = plans.reduce((sum, plan) => sum + plan.cases.length * plan.variants.length, 0)
  const samples = plans.reduce((sum, plan) => sum + plan.cases.length * plan.variants.length * plan.repeat, 0)
  const activity = { callsInFlight: live.callsInFlight }
  const warnings = plans.flatMap((plan) => plan.warnings)
  for (const reporter of reporters) reporter.onRunStart?.({ evals: plans.length, cases, samples, record: config.record, warnings, activity })

  const progress = plans.map((plan) => new EvalProgress(plan))
  const evalRefs = plans.map((plan) => ({ name: plan.name, file: plan.file }))
  const results = new InDeclarationOrder<EvalResult>(plans.length, (result) => {
    for (const reporter of reporters) reporter.onEvalEnd?.(result)
  })
  const context: FinishContext = { config, checkBaseline: options.checkBaseline, rerun: options.rerun, scope: selection.scope, kept: new Set(), now }
  const finish = async (evalIndex: number) => results.set(evalIndex, await finishEval(progress[evalIndex]!, baselines[evalIndex], context))

  // What the end needs and the results do not decide (git, the history read so far, template
  // coverage, the reporters' modules) starts once the first sample is done: on a live run that is
  // while calls are in flight, not on the way to the first call. The history's code loads then too.
  const keepsHistory = Boolean(config.history) && !options.shard
  const git = gitOnce(config.root)
  let history: Promise<(results: RunResults) => Promise<RunResults>> | undefined
  const openHistory = () =>
    (history ??= import('../history/store.js').then(({ HistoryStore, prepareHistory, recordRun }) => {
      const store = new HistoryStore(config.root, config.history!, redactor)
      const prepared = prepareHistory(store, config.root, plans.map((plan) => plan.name), git.state)
      return (results: RunResults) => recordRun(results, store, config.root, prepared)
    }))
  let coverage: Promise<TemplateCoverage | undefined> | undefined
  let underWay = false
  const prepareReporters = () => {
    for (const reporter of reporters) reporter.prepare?.({ git })
  }

  await forEachConcurrent(scheduleJobs(progress, baselines, options, finish), workerCount(config), async ({ job, evalIndex, slot }) => {
    const state = progress[evalIndex]!
    state.started ??= now()
    const sample = await runSample(job, recorder, now, { stop: options.stop, abort: options.abortCalls })
    if (!underWay) {
      underWay = true
      if (keepsHistory) void openHistory().catch(() => undefined)
      // Should it fail (the templates folder unreadable), the end measures it again and reports why.
      if (coversSuite(options)) coverage = templateCoverage(templates, planned).catch(() => undefined)
      prepareReporters()
    }
    const result = state.addSample(job, slot, sample)
    if (!result) return
    for (const reporter of reporters) reporter.onCaseEnd?.(job.plan.name, result)
    const inOrder = state.takeInOrder()
    if (inOrder.length > 0) for (const reporter of reporters) reporter.onCasesInOrder?.(evalRefs[evalIndex]!, inOrder)
    if (state.caseEnded()) await finish(evalIndex)
  })

  // Evals a rerun selected no case of still report, from the cases they keep.
  if (options.rerun) for (const [evalIndex, plan] of plans.entries()) if (plan.cases.length === 0 && !results.has(evalIndex)) await finish(evalIndex)
  // A run that ran no sample (a rerun with nothing left) prepares them now: the HTML report then
  // takes its commit from the run's one git lookup, which the history shares.
  if (!underWay) prepareReporters()
  const interrupted = options.stop?.aborted === true
  // Evals cut off part-way keep the cases that finished; evals never started are left out.
  if (interrupted) for (const [evalIndex, state] of progress.entries()) if (!results.has(evalIndex) && state.started !== undefined) await finish(evalIndex)

  const run = await runResults(options, { planned, templates, selection, evals: results.values(), kept: context.kept, interrupted, coverage, startedAt, duration: () => now() - started })
  // A shard holds part of each eval, and an interrupted run part of the evals: neither is history.
  const final = keepsHistory && !interrupted ? await (await openHistory())(run) : run
  await endReports(reporters, final)
  return final
}
