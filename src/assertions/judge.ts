import { checkCount, checkShare, common, invalid } from './common.js'
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

export const judgeHandler: AssertionHandler<JudgeAssertion> = {
  describe: ({ rubric, min }) => `judge >= ${min}: ${shorten(rubric, 50)}`,
  // The verdict's code (and its zod schema) loads with the first judge a run asks.
  evaluate: async (spec, context) => (await import('./judge-verdict.js')).askJudge(spec, context),
}
