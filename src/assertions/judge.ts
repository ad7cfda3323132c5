import { z } from 'zod'
import { AssayError } from '../errors.js'
import { checkCount, checkShare, common, fillVars, invalid, round } from './common.js'
import { extractJson } from './json-extract.js'
import type { AssertionHandler, CommonOptions, JudgeAssertion } from './types.js'

export interface JudgeOptions extends CommonOptions {
  /** What a good answer does; `{{var}}` takes a value from the case. */
  rubric: string
  /** The judge model; the eval's model when left out. */
  model?: string
  /**
   * The provider the judge runs on, named in the config. Left out, it is the variant's when the
   * model is the variant's too, else the eval's: a judge with its own model is one judge for
   * every variant.
   */
  provider?: string
  /** The least score that passes. @default 0.7 */
  min?: number
  /** Options for the judge call. @default { temperature: 0, seed: 42 }: a judge should not flicker. */
  options?: Record<string, unknown>
  /** Extra tries when the judge's answer is not the JSON asked for. @default 2 */
  retries?: number
}

const verdictSchema = z.object({ score: z.number().min(0).max(1), reason: z.string().min(1) })

/** Sent as Ollama's `format`, so the judge model is held to the shape. */
export const VERDICT_FORMAT = z.toJSONSchema(verdictSchema) as Record<string, unknown>

export const JUDGE_SYSTEM = `You are a strict, fair grader. You judge one answer against a rubric.
Reply with JSON only: {"score": <a number from 0 to 1>, "reason": "<one or two sentences>"}.
1 means the answer fully meets the rubric, 0 that it does not meet it at all.`

/** LLM-as-judge: another model call, through the same provider, recorded in fixtures like the eval's own. */
export function judge(options: JudgeOptions): JudgeAssertion {
  const name = 'assert.judge()'
  if (typeof options?.rubric !== 'string' || options.rubric.trim() === '') throw invalid(name, 'needs a rubric', "Write assert.judge({ rubric: 'The chapter ends on a cliffhanger.' }).")
  const { min = 0.7, retries = 2, model, provider } = options
  checkShare(name, 'min', min)
  checkCount(name, 'retries', retries)
  return { kind: 'judge', rubric: options.rubric, provider, model, min, retries, options: options.options ?? { temperature: 0, seed: 42 }, ...common(options, name) }
}

/** At most about `max` characters, never cutting a `{{name}}` in two (a label fills it in per case). */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = max - 3
  const open = text.lastIndexOf('{{', cut)
  const close = open === -1 ? -1 : text.indexOf('}}', open)
  if (close !== -1 && close + 2 > cut) cut = close + 2
  return cut >= text.length ? text : `${text.slice(0, cut)}...`
}

export function judgePrompt(rubric: string, output: string, reference: string | undefined): string {
  const referencePart = reference === undefined ? '' : `REFERENCE ANSWER (for comparison):\n${reference}\n\n`
  return `RUBRIC:\n${rubric}\n\n${referencePart}ANSWER TO GRADE:\n${output}`
}

export const judgeHandler: AssertionHandler<JudgeAssertion> = {
  describe: ({ rubric, min }) => `judge >= ${min}: ${shorten(rubric, 50)}`,
  async evaluate(spec, context) {
    const model = spec.model ?? context.model
    if (model === undefined) throw new AssayError('ASSAY_EVAL_INVALID', 'assert.judge() has no model: the eval sets none.', { fix: 'Pass model to assert.judge({ rubric, model }).' })
    const messages: { role: 'system' | 'user' | 'assistant'; content: string }[] = [
      { role: 'system', content: JUDGE_SYSTEM },
      { role: 'user', content: judgePrompt(fillVars(spec.rubric, context.vars), context.output, context.reference) },
    ]
    let problem = ''
    for (let attempt = 0; attempt <= spec.retries; attempt++) {
      const answer = await context.judge({ provider: spec.provider, model, messages, format: VERDICT_FORMAT, options: spec.options })
      const extracted = extractJson(answer, 'lenient')
      const parsed = extracted.found ? verdictSchema.safeParse(extracted.value) : undefined
      if (parsed?.success) {
        const score = round(parsed.data.score)
        return { pass: score >= spec.min, score, reason: `${score} ${score >= spec.min ? '>=' : '<'} ${spec.min}: ${parsed.data.reason}` }
      }
      problem = extracted.found ? parsed!.error.issues.map((issue) => `${issue.path.join('.') || 'answer'}: ${issue.message}`).join('; ') : extracted.reason
      // Instructor-style: show the judge its answer and what is wrong with it.
      messages.push({ role: 'assistant', content: answer }, { role: 'user', content: `That reply is not valid (${problem}). Reply again with only the JSON object {"score": <0..1>, "reason": "..."}.` })
    }
    throw new AssayError('ASSAY_JUDGE_FAILED', `The judge (${model}) gave no valid verdict in ${spec.retries + 1} tries; the last problem: ${problem}.`, {
      fix: 'Use a judge model that follows JSON instructions, or raise retries in assert.judge().',
    })
  },
}
