import { canStopEarly, describeAssertion, evaluateAssertion, hopeless, isCheap } from '../assertions/registry.js'
import { fillVars } from '../assertions/common.js'
import { stripThinking } from '../assertions/json-extract.js'
import type { AssertionContext, AssertionSpec, CallFigures, EmbeddingRequest, JudgeRequest } from '../assertions/types.js'
import type { LoadedCase } from '../cases/load.js'
import type { LlmChatRequest, LlmClient } from '../discovery/spec.js'
import { AssayError, describeError, isAssayError } from '../errors.js'
import type { CallTarget, RecordOptions, RecordedCall, RecordedEmbedding, Recorder } from '../recording/recorder.js'
import { estimatePromptTokens, truncationNote } from '../providers/context-window.js'
import type { ChatMessage, ChatRequest } from '../providers/types.js'
import type { ToolCall } from '../providers/tools.js'
import type { AssertionOutcome, CallRecord, SampleError, SampleResult } from '../results/types.js'
import { selectExamples } from '../templates/examples.js'
import { renderPrompt } from '../templates/render.js'
import { sharedOutcome, sharedOutcomes, sharedText } from './shared-values.js'
import type { EvalPlan, VariantPlan } from './plan.js'

export interface SampleJob {
  plan: EvalPlan
  variant: VariantPlan
  testCase: LoadedCase
  /** 0-based repeat index. */
  sample: number
}

/** Answers are checked for an early stop each time they grow by this many characters. */
const STOP_CHECK_EVERY = 32

/**
 * Runs one sample of one case: prompt (with few-shot examples) or task, model call(s),
 * assertions, and re-asks under retryOnFail. Never throws for a user's mistake: that is the
 * sample's error.
 */
/** Ctrl-C: `stop` keeps new calls from starting, `abort` cuts off the ones in flight. */
export interface Interruption {
  stop?: AbortSignal
  abort?: AbortSignal
}

export async function runSample(job: SampleJob, recorder: Recorder, now: () => number, interruption: Interruption = {}): Promise<SampleResult> {
  const started = now()
  const { plan, variant, testCase } = job
  const target: CallTarget = {
    evalName: plan.name,
    evalFile: plan.file,
    caseId: testCase.id,
    sample: job.sample,
    ...(variant.template ? { template: `${variant.template.name}@${variant.template.version}` } : {}),
  }
  const calls: CallRecord[] = []
  const figures: CallFigures[] = []
  let prompt: SampleResult['prompt']
  let output: string | undefined
  let toolCalls: ToolCall[] = []
  let attempts = 0
  let cutShort: string | undefined
  /** The final answer's reasoning, kept for people to read; never judged. */
  let thinking: string | undefined

  const call = async (request: ChatRequest, purpose: CallRecord['purpose'], options?: RecordOptions): Promise<RecordedCall> => {
    const recorded = await recorder.chat(request, target, { ...options, signal: interruption.abort, noNewCalls: interruption.stop })
    calls.push(toCallRecord(recorded, purpose, request.provider, truncationNote(estimatePromptTokens(request.messages), recorded.response.usage.promptTokens)))
    if (purpose === 'answer') figures.push({ latencyMs: recorded.response.timing.latencyMs, promptTokens: recorded.response.usage.promptTokens, completionTokens: recorded.response.usage.completionTokens })
    return recorded
  }
  const judgeCall = async ({ provider, ...request }: JudgeRequest) => (await call({ ...(provider === undefined ? {} : { provider }), ...request }, 'judge')).response.content
  const embedCall = async ({ provider, ...request }: EmbeddingRequest) => {
    const recorded = await recorder.embed({ ...(provider === undefined ? {} : { provider }), ...request }, target, { signal: interruption.abort, noNewCalls: interruption.stop })
    calls.push(embeddingRecord(recorded, provider))
    return recorded.response.embeddings
  }
  const judge = (only?: (spec: AssertionSpec) => boolean) => runAssertions(job, { raw: output!, toolCalls }, figures, { judge: judgeCall, embed: embedCall }, only)

  try {
    let outcomes: AssertionOutcome[] = []
    if (variant.template) {
      const built = templateMessages(plan, variant, testCase)
      prompt = built.prompt
      const messages = built.messages
      const stop = earlyStop(plan, variant, testCase)
      for (;;) {
        attempts++
        const recorded = await call(templateRequest(plan, variant, messages), 'answer', stop)
        output = recorded.response.content
        thinking = recorded.response.thinking
        toolCalls = recorded.response.toolCalls ?? []
        cutShort = recorded.response.cutShort
        if (attempts <= plan.retryOnFail) {
          // Cheap checks first: an answer that fails one is asked again before any judge is paid for.
          const worthRetrying = (await judge(isCheap)).filter((outcome) => !outcome.pass && !outcome.advisory)
          if (worthRetrying.length > 0) {
            // Instructor-style: the model sees its answer and exactly what was wrong with it.
            messages.push({ role: 'assistant', content: output }, { role: 'user', content: retryMessage(worthRetrying, cutShort) })
            continue
          }
        }
        outcomes = await judge()
        break
      }
    } else {
      attempts = 1
      ;({ output, thinking } = await runTask(job, (request) => call(request, 'answer')))
      outcomes = await judge()
    }
    const required = outcomes.filter((outcome) => !outcome.advisory)
    const totalWeight = outcomes.reduce((sum, outcome) => sum + outcome.weight, 0)
    const score = totalWeight === 0 ? 1 : outcomes.reduce((sum, outcome) => sum + outcome.score * outcome.weight, 0) / totalWeight
    return {
      status: required.every((outcome) => outcome.pass) ? 'pass' : 'fail',
      index: job.sample,
      prompt,
      calls: calls.slice(),
      attempts,
      cutShort,
      ...(toolCalls.length === 0 ? {} : { toolCalls }),
      output,
      ...(thinking === undefined ? {} : { thinking }),
      score,
      assertions: outcomes,
      durationMs: now() - started,
    }
  } catch (error) {
    const interrupted = interruption.stop?.aborted === true || interruption.abort?.aborted === true
    if (!interrupted && !isAssayError(error) && !(error instanceof TaskError)) throw error
    const reason: SampleError = interrupted ? { code: 'ASSAY_INTERRUPTED', message: 'The run was interrupted before this sample finished.', file: undefined, fix: undefined } : sampleError(error)
    return { status: 'error', index: job.sample, prompt, calls, attempts, cutShort, output, ...(thinking === undefined ? {} : { thinking }), error: reason, durationMs: now() - started }
  }
}

/** The first request of a template sample: system prompt, few-shot pairs, the case's prompt. */
export function templateMessages(plan: EvalPlan, variant: VariantPlan, testCase: LoadedCase): { prompt: NonNullable<SampleResult['prompt']>; messages: ChatMessage[] } {
  const rendered = renderPrompt(variant.template!, testCase.vars, { evalName: plan.name, caseId: testCase.id })
  const examples = selectExamples(variant.examples, testCase, plan.maxExamples)
  const messages: ChatMessage[] = []
  if (rendered.system.trim() !== '') messages.push({ role: 'system', content: rendered.system })
  for (const example of examples) messages.push({ role: 'user', content: example.user }, { role: 'assistant', content: example.output })
  messages.push({ role: 'user', content: rendered.user })
  return { prompt: { system: rendered.system, user: rendered.user, examples: examples.length }, messages }
}

export function templateRequest(plan: EvalPlan, variant: VariantPlan, messages: ChatMessage[]): ChatRequest {
  return {
    ...(variant.provider === undefined ? {} : { provider: variant.provider }),
    model: variant.model!,
    messages: [...messages],
    ...(plan.spec.format === undefined ? {} : { format: plan.spec.format }),
    ...(variant.options === undefined ? {} : { options: variant.options }),
    ...(variant.think === undefined ? {} : { think: variant.think }),
    ...(variant.tools === undefined ? {} : { tools: variant.tools }),
  }
}

/** The stop check for `stream: 'abort-on-fail'`: the first required assertion a partial answer already fails. */
export function earlyStop(plan: EvalPlan, variant: VariantPlan, testCase: LoadedCase): RecordOptions | undefined {
  if (plan.spec.stream !== 'abort-on-fail') return undefined
  const specs = variant.assertions
    .filter(canStopEarly)
    .map((spec): AssertionSpec => (spec.kind === 'language' ? { ...spec, language: fillVars(spec.language, testCase.vars) } : spec))
  if (specs.length === 0) return undefined
  let checkedAt = 0
  return {
    cutoff: specs.map((spec) => describeAssertion(spec)).join('; '),
    stopWhen(partial) {
      if (partial.length - checkedAt < STOP_CHECK_EVERY) return undefined
      checkedAt = partial.length
      const answer = stripThinking(partial)
      for (const spec of specs) {
        const reason = hopeless(spec, answer)
        if (reason !== undefined) return `${describeAssertion(spec)}: ${reason}`
      }
      return undefined
    },
  }
}

function retryMessage(failures: AssertionOutcome[], cutShort: string | undefined): string {
  const lines = failures.map((outcome) => `- ${outcome.name}: ${outcome.reason}`)
  const stopped = cutShort === undefined ? '' : `\n(Your answer was stopped early because of the first problem.)`
  return `Your answer did not pass these checks:\n${lines.join('\n')}${stopped}\n\nAnswer again in full, fixing them.`
}

async function runTask(job: SampleJob, call: (request: ChatRequest) => Promise<RecordedCall>): Promise<{ output: string; thinking: string | undefined }> {
  let thinking: string | undefined
  const llm: LlmClient = {
    async chat(request: LlmChatRequest) {
      const model = request.model ?? job.variant.model
      if (model === undefined) {
        throw new AssayError('ASSAY_EVAL_INVALID', `The task of eval "${job.plan.name}" called llm.chat() with no model, and the eval sets none.`, {
          file: job.plan.file,
          fix: 'Set model on the eval, or pass model to llm.chat().',
        })
      }
      const options = request.options ?? job.variant.options
      const provider = request.provider ?? job.variant.provider
      const think = request.think ?? job.variant.think
      const recorded = await call({
        ...(provider === undefined ? {} : { provider }),
        model,
        messages: request.messages,
        ...(request.format === undefined ? {} : { format: request.format }),
        ...(options === undefined ? {} : { options }),
        ...(think === undefined ? {} : { think }),
      })
      thinking = recorded.response.thinking
      return { content: recorded.response.content }
    },
  }
  let value: unknown
  try {
    value = await job.plan.spec.task!({ vars: job.testCase.vars, case: job.testCase, sample: job.sample, llm })
  } catch (error) {
    if (isAssayError(error)) throw error
    throw new TaskError(job, error)
  }
  if (value === undefined || value === null) {
    throw new AssayError('ASSAY_EVAL_INVALID', `The task of eval "${job.plan.name}" returned ${value} for case "${job.testCase.id}".`, {
      file: job.plan.file,
      fix: 'Return the output to judge: a string, or a value that is judged as JSON.',
    })
  }
  return { output: typeof value === 'string' ? value : asJson(job, value), thinking }
}

/** A task's non-string result as the JSON its assertions judge; one JSON cannot hold is the eval's mistake, named as such. */
function asJson(job: SampleJob, value: unknown): string {
  let text: string | undefined
  let cause = ''
  try {
    text = JSON.stringify(value, null, 2)
  } catch (error) {
    cause = `: ${describeError(error)}`
  }
  if (text !== undefined) return text
  throw new AssayError('ASSAY_EVAL_INVALID', `The task of eval "${job.plan.name}" returned ${typeof value === 'object' ? 'a value' : `a ${typeof value}`} for case "${job.testCase.id}" that cannot be written as JSON${cause}.`, {
    file: job.plan.file,
    fix: 'Return a string, or plain data (no BigInt, no circular references, no getters that throw): a non-string result is judged as JSON.',
  })
}

async function runAssertions(
  job: SampleJob,
  { raw, toolCalls }: { raw: string; toolCalls: readonly ToolCall[] },
  calls: CallFigures[],
  models: Pick<AssertionContext, 'judge' | 'embed'>,
  only: (spec: AssertionSpec) => boolean = () => true,
): Promise<AssertionOutcome[]> {
  const context = {
    output: stripThinking(raw),
    raw,
    vars: job.testCase.vars,
    reference: job.testCase.reference,
    calls: [...calls],
    toolCalls,
    model: job.variant.model,
    ...models,
  }
  const specs = job.variant.assertions.filter(only)
  // Sized up front and built field by field: every result is kept to the end of the run, and an
  // array grown by push (or an object built by spread) holds spare slots, 100,000 times over.
  const outcomes = new Array<AssertionOutcome>(specs.length)
  for (const [i, spec] of specs.entries()) {
    const { pass, score, reason } = await evaluateAssertion(spec, context)
    // The label with this case's values; the one every case shares stays beside it when they differ.
    const sharedName = describeAssertion(spec)
    const name = sharedText(describeAssertion(spec, context.vars))
    outcomes[i] = sharedOutcome({ kind: spec.kind, name, sharedName: name === sharedName ? undefined : sharedText(sharedName), pass, score, reason: sharedText(reason), weight: spec.weight, advisory: spec.advisory })
  }
  return sharedOutcomes(outcomes)
}

function sampleError(error: unknown): SampleError {
  if (isAssayError(error)) return { code: error.code, message: error.message, file: error.file, fix: error.fix }
  return { code: undefined, message: describeError(error), file: undefined, fix: undefined }
}

function toCallRecord({ response, source, key, fixture, retries }: RecordedCall, purpose: CallRecord['purpose'], provider: string | undefined, truncated: string | undefined): CallRecord {
  return {
    purpose,
    key,
    source,
    fixture,
    ...(provider === undefined ? {} : { provider }),
    model: sharedText(response.model),
    latencyMs: response.timing.latencyMs,
    firstTokenMs: response.timing.firstTokenMs,
    promptTokens: response.usage.promptTokens,
    completionTokens: response.usage.completionTokens,
    cutShort: response.cutShort,
    retries,
    ...(truncated === undefined ? {} : { truncated }),
  }
}

function embeddingRecord({ response, source, key, fixture, retries }: RecordedEmbedding, provider: string | undefined): CallRecord {
  return {
    purpose: 'embedding',
    key,
    source,
    fixture,
    ...(provider === undefined ? {} : { provider }),
    model: response.model,
    latencyMs: response.timing.latencyMs,
    firstTokenMs: undefined,
    promptTokens: response.usage.promptTokens,
    completionTokens: undefined,
    cutShort: undefined,
    retries,
  }
}

/** A task (user code) threw: the case errors with the task's message, the run goes on. */
class TaskError extends Error {
  override readonly name = 'TaskError'
  constructor(job: SampleJob, cause: unknown) {
    super(`The task of eval "${job.plan.name}" threw for case "${job.testCase.id}": ${describeError(cause)}${userFrame(cause)}`, { cause })
  }
}

/** The first stack line in the user's eval file, so they can find the throw. */
function userFrame(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  const frame = stack.split('\n').find((line) => /\.eval\.[cm]?[jt]s/.test(line))
  return frame ? ` (${frame.trim()})` : ''
}
