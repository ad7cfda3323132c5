import { describeAssertion, evaluateAssertion } from '../assertions/registry.js'
import type { LoadedCase } from '../cases/load.js'
import type { LlmChatRequest, LlmClient } from '../discovery/spec.js'
import { AssayError, describeError, isAssayError } from '../errors.js'
import type { RecordedCall, Recorder } from '../fixtures/recorder.js'
import type { ChatMessage, ChatRequest } from '../providers/types.js'
import type { AssertionOutcome, CallRecord, SampleError, SampleResult } from '../results/types.js'
import { renderPrompt } from '../templates/render.js'
import type { EvalPlan } from './plan.js'

export interface SampleJob {
  plan: EvalPlan
  testCase: LoadedCase
  /** 0-based repeat index. */
  sample: number
}

/** Runs one sample of one case: prompt or task, model call(s), assertions. Never throws for user errors. */
export async function runSample(job: SampleJob, recorder: Recorder, now: () => number): Promise<SampleResult> {
  const started = now()
  const calls: CallRecord[] = []
  let prompt: { system: string; user: string } | undefined
  let output: string | undefined
  try {
    const call = async (request: ChatRequest): Promise<RecordedCall> => {
      const recorded = await recorder.chat(request, {
        evalName: job.plan.name,
        evalFile: job.plan.file,
        caseId: job.testCase.id,
        sample: job.sample,
      })
      calls.push(toCallRecord(recorded))
      return recorded
    }
    if (job.plan.template) {
      prompt = renderPrompt(job.plan.template, job.testCase.vars, { evalName: job.plan.name, caseId: job.testCase.id })
      const recorded = await call(templateRequest(job.plan, prompt))
      output = recorded.response.content
    } else {
      output = await runTask(job, call)
    }
    const assertions = await judge(job, output)
    const passed = assertions.every((outcome) => outcome.pass)
    const score = assertions.length === 0 ? 1 : assertions.reduce((sum, outcome) => sum + outcome.score, 0) / assertions.length
    return { status: passed ? 'pass' : 'fail', index: job.sample, prompt, calls, output, score, assertions, durationMs: now() - started }
  } catch (error) {
    if (!isAssayError(error) && !isUserCodeError(error)) throw error
    return {
      status: 'error',
      index: job.sample,
      prompt,
      calls,
      output,
      error: sampleError(error),
      durationMs: now() - started,
    }
  }
}

function templateRequest(plan: EvalPlan, prompt: { system: string; user: string }): ChatRequest {
  const messages: ChatMessage[] = []
  if (prompt.system.trim() !== '') messages.push({ role: 'system', content: prompt.system })
  messages.push({ role: 'user', content: prompt.user })
  return {
    model: plan.spec.model!,
    messages,
    ...(plan.spec.format === undefined ? {} : { format: plan.spec.format }),
    ...(plan.spec.options === undefined ? {} : { options: plan.spec.options }),
  }
}

async function runTask(job: SampleJob, call: (request: ChatRequest) => Promise<RecordedCall>): Promise<string> {
  const llm: LlmClient = {
    async chat(request: LlmChatRequest) {
      const model = request.model ?? job.plan.spec.model
      if (model === undefined) {
        throw new AssayError('ASSAY_EVAL_INVALID', `The task of eval "${job.plan.name}" called llm.chat() with no model, and the eval sets none.`, {
          file: job.plan.file,
          fix: 'Set model on the eval, or pass model to llm.chat().',
        })
      }
      const options = request.options ?? job.plan.spec.options
      const recorded = await call({
        model,
        messages: request.messages,
        ...(request.format === undefined ? {} : { format: request.format }),
        ...(options === undefined ? {} : { options }),
      })
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
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2)
}

async function judge(job: SampleJob, output: string): Promise<AssertionOutcome[]> {
  const context = { output, vars: job.testCase.vars, reference: job.testCase.reference }
  const outcomes: AssertionOutcome[] = []
  for (const spec of job.plan.assertions) {
    const result = await evaluateAssertion(spec, context)
    outcomes.push({ kind: spec.kind, name: describeAssertion(spec), ...result })
  }
  return outcomes
}

function sampleError(error: unknown): SampleError {
  if (isAssayError(error)) return { code: error.code, message: error.message, file: error.file, fix: error.fix }
  return { code: undefined, message: describeError(error), file: undefined, fix: undefined }
}

function toCallRecord({ response, source, key, fixture }: RecordedCall): CallRecord {
  return {
    key,
    source,
    fixture,
    model: response.model,
    latencyMs: response.timing.latencyMs,
    firstTokenMs: response.timing.firstTokenMs,
    promptTokens: response.usage.promptTokens,
    completionTokens: response.usage.completionTokens,
  }
}

/** A task (user code) threw: the case errors with the task's message, the run goes on. */
class TaskError extends Error {
  override readonly name = 'TaskError'
  constructor(job: SampleJob, cause: unknown) {
    super(`The task of eval "${job.plan.name}" threw for case "${job.testCase.id}": ${describeError(cause)}${userFrame(cause)}`, { cause })
  }
}

function isUserCodeError(error: unknown): boolean {
  return error instanceof TaskError
}

/** The first stack line in the user's eval file, so they can find the throw. */
function userFrame(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  const frame = stack.split('\n').find((line) => /\.eval\.[cm]?[jt]s/.test(line))
  return frame ? ` (${frame.trim()})` : ''
}
