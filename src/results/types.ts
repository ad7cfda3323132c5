import type { AssertionKind, CallSource, MetricName, RecordMode } from './words.js'

/** A call the model made: the tool's name and its arguments, parsed. */
export interface ToolCall {
  name: string
  arguments: Record<string, unknown>
  /** The arguments as the model wrote them, when they were not a JSON object (`arguments` is then empty). */
  invalidArguments?: string
}

/** Bumped on any change that could break a reader of results.json; docs/results-schema.md. */
export const RESULTS_SCHEMA_VERSION = 1

/** Aggregates of an eval or a variant, as results.json stores them. */
export interface Aggregates {
  samples: number
  /** Share of judged samples that passed. */
  passRate: number
  meanScore: number | undefined
  latencyP50: number | undefined
  latencyP95: number | undefined
  promptTokens: number
  completionTokens: number
  /** Share of calls that needed at least one retry. */
  retryRate: number
  /** Answers asked for per sample (1 = no retryOnFail re-ask). */
  meanAttempts: number
  errorRate: number
  /** Share of calls that would have gone to the model answered from the cache. */
  cacheHitRate: number
  /** Share of calls replayed from fixtures. */
  fixtureShare: number
}

/** A prompt-tuning hint from the seed's optimizer, with the figure that triggered it. */
export interface Suggestion {
  trigger: string
  advice: string[]
}

export type Status = 'pass' | 'fail'
export type CaseStatus = 'pass' | 'fail' | 'error'

export interface AssertionOutcome {
  kind: AssertionKind
  /** A label such as `length 1000..5000 chars`, with the case's values filled in (`language French`). */
  name: string
  /**
   * The label every case shares (`language {{language}}`), when `name` filled in case values;
   * comparisons group assertion scores by it.
   */
  sharedName?: string
  pass: boolean
  score: number
  reason: string
  weight: number
  /** Scored and shown, never fails the sample. */
  advisory: boolean
}

/** One model call of a sample, with its figures (replayed calls carry the recorded ones). */
export interface CallRecord {
  /** `answer`: the eval's own call (one per attempt); `judge`: an assert.judge() call; `embedding`: an assert.similar() embedding call. */
  purpose: 'answer' | 'judge' | 'embedding'
  key: string
  source: CallSource
  fixture: string | undefined
  /** The named provider the call went to; absent for the `ollama` settings. */
  provider?: string
  model: string
  latencyMs: number
  firstTokenMs: number | undefined
  promptTokens: number | undefined
  completionTokens: number | undefined
  /** Why the streamed answer was stopped early, when it was. */
  cutShort: string | undefined
  /** Failed tries before this answer (live calls; 0 when replayed). */
  retries: number
  /** Present when the server counted far fewer prompt tokens than estimated: a likely truncated prompt. */
  truncated?: string
}

interface SampleBase {
  /** 0-based repeat index. */
  index: number
  /** The rendered prompt, for template evals; `examples` few-shot pairs went before it. */
  prompt: { system: string; user: string; examples: number } | undefined
  calls: CallRecord[]
  /** Answers asked for: 1, plus one per retryOnFail re-ask. */
  attempts: number
  /** Why the final answer was stopped early (stream: 'abort-on-fail'), when it was. */
  cutShort: string | undefined
  /** A thinking model's reasoning for the final answer, when the server sent it apart; never judged. */
  thinking?: string
  /** The tool calls of the final answer, when the model made any. */
  toolCalls?: ToolCall[]
  durationMs: number
}

export interface JudgedSample extends SampleBase {
  status: 'pass' | 'fail'
  output: string
  /** Weighted mean assertion score in 0..1; 1 when there are no assertions. */
  score: number
  assertions: AssertionOutcome[]
}

export interface ErroredSample extends SampleBase {
  status: 'error'
  output: string | undefined
  error: SampleError
}

/** Why a sample could not be judged; `fix` is the next step when assay knows it. */
export interface SampleError {
  code: string | undefined
  message: string
  file: string | undefined
  fix: string | undefined
}

export type SampleResult = JudgedSample | ErroredSample

export interface CaseResult {
  id: string
  /** The variant this result is for; undefined in an eval without variants. */
  variant: string | undefined
  name: string | undefined
  vars: Record<string, unknown>
  reference: string | undefined
  tags: string[] | undefined
  /** `error` if any sample errored; otherwise the eval's repeat gate (every repeat by default). */
  status: CaseStatus
  /** How many of the case's repeats passed. */
  repeats: { passed: number; total: number }
  /** Its judged repeats disagree: some passed, some failed. */
  flaky: boolean
  samples: SampleResult[]
}

export interface Counts {
  cases: number
  passed: number
  failed: number
  errored: number
}

export interface TemplateRef {
  name: string
  version: string
  file: string
}

/** One variant's share of an eval: it must meet the threshold on its own. */
export interface VariantResult {
  name: string
  status: Status
  passRate: number
  model: string | undefined
  template: TemplateRef | undefined
  counts: Counts
  metrics: Aggregates
}

/**
 * What a comparison concludes. `equivalent`: the interval lies inside +-minimumEffect (the
 * margin). `descriptive`: a secondary metric after a sequential run stopped early, reported
 * without a test.
 */
export type Verdict = 'better' | 'worse' | 'equivalent' | 'inconclusive' | 'descriptive'

/** A paired comparison of one metric between a variant and the baseline variant. */
export interface Comparison {
  baseline: string
  variant: string
  /** `pass rate`, `score: <assertion>`, `latency ms` or `completion tokens`. */
  metric: MetricName
  /**
   * The primary metric decides the eval's verdict (pass rate unless the eval names another), at
   * alpha split over the variants (Bonferroni). Secondary metrics are Holm-adjusted among themselves.
   */
  role: 'primary' | 'secondary'
  /** Which way is better. */
  better: 'higher' | 'lower'
  /** Cases with a value under both variants (errors left out); for a sequential stop, at that look. */
  n: number
  baselineMean: number
  variantMean: number
  /** variantMean - baselineMean. */
  difference: number
  /** Confidence interval of the difference from the same test as pValue: it excludes 0 exactly when pValue < 1 - level. */
  interval: { low: number; high: number; level: number }
  /** Unadjusted, from the test named in `test`. */
  pValue: number
  /** Primary: Bonferroni over the variants; secondary: Holm over the eval's secondary comparisons. */
  pAdjusted: number
  test: string
  /** Mean paired difference over its standard deviation (Cohen's d_z); 0 when undefined. */
  effectSize: number
  /** The smallest difference worth detecting: the equivalence margin and the power statement's effect. */
  minimumEffect: number
  verdict: Verdict
  /** With `inconclusive`: about how many more cases would detect minimumEffect with the power below. */
  moreCasesNeeded: number | undefined
  /** The power those cases deliver (exact for pass rate), when moreCasesNeeded is given. */
  powerWithMoreCases: number | undefined
  /** The verdict in words. */
  sentence: string
}

/** A run set against the saved baseline, for one variant (undefined without variants). */
export interface BaselineCheck {
  variant: string | undefined
  /** Pass-rate drop, as a share, tolerated before a drop can count as a regression. */
  margin: number
  n: number
  baselinePassRate: number
  /** Mean per-case change in pass share, current - baseline. */
  difference: number
  interval: { low: number; high: number; level: number }
  /** One-sided p of "worse than the baseline by more than the margin". */
  pValue: number
  regression: boolean
  /** Shown not worse by the margin or more (one-sided non-inferiority test at 0.05). */
  nonInferior: boolean
  nonInferiorityP: number
  /** Case ids that passed in the baseline and fail now, and the reverse. */
  flippedToFail: string[]
  flippedToPass: string[]
  /** Every metric, current against baseline, as for variants. */
  comparisons: Comparison[]
  sentence: string
}

export interface SequentialOutcome {
  reason: 'significant' | 'max cases' | 'cases exhausted'
  casesRun: number
  /** The group-sequential design: alpha per variant, the spending function, the planned cases. */
  design: { alpha: number; spending: 'pocock' | 'obrien-fleming'; horizon: number; batch: number }
  /** Per variant against the baseline: the pass-rate counts and boundary at each look, up to its crossing. */
  looks: Record<string, SequentialLook[]>
}

/** One look of a sequential run, for one variant against the baseline. */
export interface SequentialLook {
  /** Cases run so far (the information time is cases / horizon). */
  cases: number
  /** Cases with a verdict under both variants. */
  pairs: number
  /** Pairs the baseline passed. */
  baselinePasses: number
  discordant: number
  /** Discordant pairs the variant won (it passed, the baseline failed). */
  variantWins: number
  /** Crossed once max(variantWins, discordant - variantWins) reaches it. */
  boundary: number
}

/** Present after `assay run --baseline`. */
export type BaselineOutcome = { status: 'missing'; file: string } | { status: 'checked'; file: string; checks: BaselineCheck[] }

export interface EvalResult {
  name: string
  file: string
  /** `pass` when every variant meets the threshold. */
  status: Status
  /** Share of cases that must pass (per variant). */
  threshold: number
  /** Share of case results that passed, all variants together. */
  passRate: number
  /** The (first variant's) model and template. */
  model: string | undefined
  template: TemplateRef | undefined
  repeat: number
  durationMs: number
  counts: Counts
  /** Pass rate, score, latency percentiles, tokens, retry, error and cache-hit rates. */
  metrics: Aggregates
  /** The seed's prompt-tuning hints, each with the figure that triggered it. */
  suggestions: Suggestion[]
  /** Present when the eval declares variants. */
  variants: VariantResult[] | undefined
  /** Each variant against the baseline variant, per metric; empty without variants. */
  comparisons: Comparison[]
  /** The metric whose verdict decides, and its margin (minimum effect of interest). */
  primary: { metric: MetricName; minimumEffect: number | undefined }
  /** With `--until-significant`: why the eval stopped adding cases, and the evidence then. */
  sequential: SequentialOutcome | undefined
  /** With `--baseline`: the run against the saved baseline. A regression fails the eval. */
  baseline: BaselineOutcome | undefined
  /** One per case and variant. */
  cases: CaseResult[]
  /** Present when the eval declares `sweep`: the swept option names and the best setting. */
  sweep?: { options: string[]; best: BestSetting }
  /** With run history on: pass rate over the eval's last runs, this one included, oldest first. */
  trend?: TrendPoint[]
}

/** The sweep setting with the highest pass rate, how sure that is, and how it compares with the baseline setting. */
export interface BestSetting {
  variant: string
  /** The metric it is best on: the eval's primary metric. */
  metric: MetricName
  /** Its mean of that metric over its cases (a share for pass rate). */
  value: number
  passRate: number
  /** 95% Wilson interval of its pass rate. */
  interval: { low: number; high: number; level: number }
  /** Its cases. */
  n: number
  /** Its primary-metric comparison with the baseline setting; undefined when it is the baseline. */
  comparison: Comparison | undefined
  /** All of the above in one sentence, as the console and the HTML report print it. */
  sentence: string
}

/** One template version, and the evals that use it. */
export interface TemplateUse {
  name: string
  version: string
  file: string
  active: boolean
  /** Eval names (with ` [variant]` where a variant uses it), in plan order. */
  usedBy: string[]
  /** Why the file does not load, when it does not (it counts as active and unused). */
  invalid?: string
}

/** Which template versions the evals exercise; only active versions count toward `share`. */
export interface TemplateCoverage {
  templates: TemplateUse[]
  activeUsed: number
  active: number
  /** activeUsed / active; 1 when there is no active version. */
  share: number
  /** With `coverage.templates` in the config, on a full run: the least share, and whether it was met. */
  gate: { min: number; pass: boolean } | undefined
}

/** One run of an eval (or of one of its variants) in the history. */
export interface TrendPoint {
  time: string
  run: string
  variant: string | null
  /** `name@version`; a change from the point before marks a new template version. */
  template: string | null
  passRate: number
}

export interface RunSummary {
  evals: { total: number; passed: number; failed: number }
  cases: { total: number; passed: number; failed: number; errored: number }
  /**
   * Calls this run made, by source. After --failed, --retry-errors or --resume, the calls of the
   * cases kept from the last run are counted in `kept` only (they were made then, not now).
   */
  calls: { total: number; fixture: number; cache: number; live: number; kept?: number }
  /**
   * Tokens and model time, live calls apart from replayed ones (fixture or cache): a replayed
   * answer is not spent today, and carries its recorded figures rather than zeros.
   */
  usage: { live: UsageTotals; replayed: UsageTotals }
}

export interface ShardInfo {
  index: number
  count: number
  /** Every eval of the full run, in declaration order. */
  evalOrder: string[]
  /** Per eval, each case id's position in the full case list. */
  caseOrder: Record<string, Record<string, number>>
  /** Per eval with variants, the baseline variant. */
  baselines: Record<string, string | undefined>
}

export interface UsageTotals {
  promptTokens: number
  completionTokens: number
  /** Sum of call latencies, in ms. */
  modelMs: number
}

/** The whole of `reports/results.json`. */
export interface RunResults {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION
  assayVersion: string
  status: Status
  /** Stopped by Ctrl-C or SIGTERM: the results hold what finished before. */
  interrupted: boolean
  /** The filters the run was started with; empty for a full run. */
  selection: { filters: string[]; namePattern: string | undefined }
  /** Present in a shard's blob (`--shard i/n`): what merge-reports needs to put runs together. */
  shard?: ShardInfo
  startedAt: string
  durationMs: number
  record: RecordMode
  summary: RunSummary
  /** Template versions and the evals that use them; only on full runs (not filtered, -t or reruns). */
  coverage?: TemplateCoverage
  evals: EvalResult[]
}
