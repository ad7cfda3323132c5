import { expect } from 'vitest'
import type { JudgeRequest } from '../assertions/types.js'
import { createMatchers, type AssayMatchers } from './matchers.js'

export type { AnswerContext, AssayMatchers } from './matchers.js'

// The client (config, fixtures, the Ollama client) loads only when an assertion calls a model.
expect.extend(createMatchers((testPath, testName) => async (request: JudgeRequest) => (await import('./client.js')).judgeFor(testPath, testName)(request)))

// Only `Assertion`: the matchers are async, and an asymmetric matcher (inside toEqual) is checked synchronously.
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> extends AssayMatchers {}
}
