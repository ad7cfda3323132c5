import { stripThinking } from '../assertions/json-extract.js'
import { describeAssertion, evaluateAssertion, isAssertionSpec } from '../assertions/registry.js'
import type { AssertionContext, AssertionResult, AssertionSpec } from '../assertions/types.js'
import { AssayError, formatAssayError, isAssayError } from '../errors.js'
import { terminalText } from '../output/index.js'
import type { ToolCall } from '../providers/tools.js'

/** What an assertion may need beyond the answer: the case's reference, its vars, the default judge model. */
export interface AnswerContext {
  /** The golden answer `assert.similar()` compares with when it has no `to`, and a judge sees. */
  reference?: string
  /** Values for `{{var}}` in a judge's rubric or a language given per case. */
  vars?: Record<string, unknown>
  /** The model `assert.judge()` uses when it names none. */
  model?: string
}

/** The matchers `import 'assay/vitest'` adds to `expect(answer)`; both are async, so await them. */
export interface AssayMatchers {
  /** The answer passes the assertion (its own rule, or its `threshold`). @example await expect(answer).toPassAssertion(assert.language('fr')) */
  toPassAssertion(assertion: AssertionSpec, context?: AnswerContext): Promise<void>
  /** The assertion's score for the answer is at least `min` (0..1). @example await expect(answer).toScoreAtLeast(assert.quality({ task: 'creative' }), 0.8) */
  toScoreAtLeast(assertion: AssertionSpec, min: number, context?: AnswerContext): Promise<void>
}

/** The part of vitest's matcher state the matchers read. */
export interface MatcherScope {
  isNot: boolean
  testPath?: string
  currentTestName?: string
}

export interface MatcherOutcome {
  pass: boolean
  message: () => string
}

/** The model calls (judge, embeddings) an assertion makes for the test that runs the matcher. */
export type ModelSource = (testPath: string, testName: string) => Pick<AssertionContext, 'judge' | 'embed'>

export function createMatchers(models: ModelSource) {
  async function run(scope: MatcherScope, matcher: string, received: unknown, assertion: unknown, context: AnswerContext | undefined): Promise<{ label: string; result: AssertionResult }> {
    if (!isAssertionSpec(assertion)) {
      throw new AssayError('ASSAY_USAGE', `${matcher}() takes an assertion built with assert.*, got ${describeValue(assertion)}.`, {
        fix: `Write expect(answer).${matcher}(assert.language('fr')${matcher === 'toScoreAtLeast' ? ', 0.8' : ''}), with assert imported from 'assay'.`,
      })
    }
    const given = answerOf(received)
    if (given === undefined) {
      throw new AssayError('ASSAY_USAGE', `${matcher}() checks a model's answer, a string or { content, toolCalls }; expect() got ${describeValue(received)}.`, {
        fix: 'Pass the answer text to expect(), e.g. expect(response.content), or { content, toolCalls: [{ name, arguments }] } for assert.toolCalls().',
      })
    }
    const testPath = scope.testPath
    const client = () => {
      if (testPath === undefined) throw new AssayError('ASSAY_USAGE', `${matcher}() needs a model call, but vitest gave no test file to record it next to.`)
      return models(testPath, scope.currentTestName ?? 'test')
    }
    const answer: AssertionContext = {
      output: stripThinking(given.content),
      raw: given.content,
      toolCalls: given.toolCalls,
      vars: context?.vars ?? {},
      reference: context?.reference,
      calls: [],
      model: context?.model,
      judge: async (request) => client().judge(request),
      embed: async (request) => client().embed(request),
    }
    return { label: describeAssertion(assertion, answer.vars), result: await evaluateAssertion(assertion, answer) }
  }

  // vitest prints an error's message only: an AssayError's file and fix go into it, inert (a
  // provider's error quotes the server).
  async function guarded(scope: MatcherScope, matcher: string, received: unknown, assertion: unknown, context: AnswerContext | undefined): Promise<{ label: string; result: AssertionResult }> {
    try {
      return await run(scope, matcher, received, assertion, context)
    } catch (error) {
      if (isAssayError(error)) throw new Error(terminalText(formatAssayError(error)), { cause: error })
      throw error
    }
  }

  return {
    async toPassAssertion(this: MatcherScope, received: unknown, assertion: AssertionSpec, context?: AnswerContext): Promise<MatcherOutcome> {
      const { label, result } = await guarded(this, 'toPassAssertion', received, assertion, context)
      return {
        pass: result.pass,
        // A reason can quote the model (a judge's verdict): neutralised before it reaches the terminal.
        message: () => terminalText(this.isNot ? `expected the answer not to pass ${label}, but it did: ${result.reason}` : `expected the answer to pass ${label}: ${result.reason}`),
      }
    },
    async toScoreAtLeast(this: MatcherScope, received: unknown, assertion: AssertionSpec, min: number, context?: AnswerContext): Promise<MatcherOutcome> {
      if (!(typeof min === 'number' && min >= 0 && min <= 1)) {
        throw new Error(formatAssayError(new AssayError('ASSAY_USAGE', `toScoreAtLeast() takes a minimum score from 0 to 1, got ${describeValue(min)}.`, { fix: 'Write expect(answer).toScoreAtLeast(assert.quality(), 0.8).' })))
      }
      const { label, result } = await guarded(this, 'toScoreAtLeast', received, assertion, context)
      const pass = result.score >= min
      return {
        pass,
        message: () => terminalText(`expected ${label} to score ${this.isNot ? 'below' : 'at least'} ${min}, got ${result.score}: ${result.reason}`),
      }
    },
  }
}

/** The answer as a string, or as `{ content, toolCalls }` (what `llm.chat()` returns with tools). */
export type Answer = string | { content: string; toolCalls?: ToolCall[] }

function answerOf(received: unknown): { content: string; toolCalls: ToolCall[] } | undefined {
  if (typeof received === 'string') return { content: received, toolCalls: [] }
  if (typeof received !== 'object' || received === null) return undefined
  const { content, toolCalls = [] } = received as { content?: unknown; toolCalls?: unknown }
  if (typeof content !== 'string' || !Array.isArray(toolCalls)) return undefined
  const valid = toolCalls.every((call) => typeof call?.name === 'string' && typeof call.arguments === 'object' && call.arguments !== null)
  return valid ? { content, toolCalls: toolCalls as ToolCall[] } : undefined
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object that is not an assertion'
  return `a ${typeof value} (${String(value).slice(0, 40)})`
}
