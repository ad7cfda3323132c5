import { z } from 'zod'
import { AssayError } from '../errors.js'
import { fillVars, round } from './common.js'
import { extractJson } from './json-extract.js'
import type { AssertionContext, AssertionResult, JudgeAssertion } from './types.js'

// Imported by judge.ts on a judge's first evaluation: runs without a judge never build the
// verdict's schema or its JSON Schema.

const verdictSchema = z.object({ score: z.number().min(0).max(1), reason: z.string().min(1) })

/** Sent as Ollama's `format`, so the judge model is held to the shape. */
export const VERDICT_FORMAT = z.toJSONSchema(verdictSchema) as Record<string, unknown>

export const JUDGE_SYSTEM = `You are a strict, fair grader. You judge one answer against a rubric.
Reply with JSON only: {"score": <a number from 0 to 1>, "reason": "<one or two sentences>"}.
1 means the answer fully meets the rubric, 0 that it does not meet it at all.`

function judgePrompt(rubric: string, output: string, reference: string | undefined): string {
  const referencePart = reference === undefined ? '' : `REFERENCE ANSWER (for comparison):\n${reference}\n\n`
  return `RUBRIC:\n${rubric}\n\n${referencePart}ANSWER TO GRADE:\n${output}`
}

/** Asks the judge model for a verdict on the answer, showing it its mistakes up to `retries` times. */
export async function askJudge(spec: JudgeAssertion, context: AssertionContext): Promise<AssertionResult> {
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
}
