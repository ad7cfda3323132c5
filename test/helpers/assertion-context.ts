import type { AssertionContext } from '../../src/assertions/types.js'
import { stripThinking } from '../../src/assertions/json-extract.js'

/** The context the runner would give an assertion for this output; judge calls fail unless given. */
export function contextFor(raw: string, overrides: Partial<AssertionContext> = {}): AssertionContext {
  return {
    output: stripThinking(raw),
    raw,
    vars: {},
    reference: undefined,
    calls: [],
    model: 'llama3.2',
    toolCalls: [],
    judge: () => Promise.reject(new Error('no judge in this test')),
    embed: () => Promise.reject(new Error('no embeddings in this test')),
    ...overrides,
  }
}
