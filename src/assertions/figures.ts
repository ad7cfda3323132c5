import { common, invalid } from './common.js'
import type { AssertionHandler, CommonOptions, LatencyAssertion, TokenCount, TokensAssertion } from './types.js'

/** The sample's model time, all its calls together, is at most `maxMs` (replays carry the recorded time). */
export function latency(options: CommonOptions & { maxMs: number }): LatencyAssertion {
  if (!(typeof options?.maxMs === 'number' && options.maxMs > 0)) throw invalid('assert.latency()', 'needs maxMs, a number above 0', 'Write assert.latency({ maxMs: 20000 }).')
  return { kind: 'latency', maxMs: options.maxMs, ...common(options, 'assert.latency()') }
}

/** The sample used at most `max` tokens: completion tokens unless `count` says otherwise. */
export function tokens(options: CommonOptions & { max: number; count?: TokenCount }): TokensAssertion {
  const count = options?.count ?? 'completion'
  if (!(Number.isInteger(options?.max) && options.max > 0)) throw invalid('assert.tokens()', 'needs max, a whole number above 0', 'Write assert.tokens({ max: 800 }).')
  if (!['completion', 'prompt', 'total'].includes(count)) throw invalid('assert.tokens()', `count must be "completion", "prompt" or "total", got "${String(count)}"`)
  return { kind: 'tokens', max: options.max, count, ...common(options, 'assert.tokens()') }
}

export const latencyHandler: AssertionHandler<LatencyAssertion> = {
  describe: ({ maxMs }) => `latency <= ${maxMs}ms`,
  evaluate({ maxMs }, { calls }) {
    if (calls.length === 0) return { pass: false, score: 0, reason: 'no model call was made' }
    const total = calls.reduce((sum, call) => sum + call.latencyMs, 0)
    const shown = `${Math.round(total)}ms${calls.length > 1 ? ` over ${calls.length} calls` : ''}`
    return total <= maxMs ? { pass: true, score: 1, reason: `${shown}, within ${maxMs}ms` } : { pass: false, score: maxMs / total, reason: `${shown}, over ${maxMs}ms` }
  },
}

export const tokensHandler: AssertionHandler<TokensAssertion> = {
  describe: ({ max, count }) => `${count} tokens <= ${max}`,
  evaluate({ max, count }, { calls }) {
    if (calls.length === 0) return { pass: false, score: 0, reason: 'no model call was made' }
    let total = 0
    for (const call of calls) {
      const parts = count === 'total' ? [call.promptTokens, call.completionTokens] : [count === 'prompt' ? call.promptTokens : call.completionTokens]
      if (parts.some((part) => part === undefined)) return { pass: false, score: 0, reason: `the server did not report ${count} tokens` }
      total += parts.reduce<number>((sum, part) => sum + part!, 0)
    }
    return total <= max ? { pass: true, score: 1, reason: `${total} ${count} tokens, within ${max}` } : { pass: false, score: max / total, reason: `${total} ${count} tokens, over ${max}` }
  },
}
