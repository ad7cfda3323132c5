import { expect } from 'vitest'
import { createMatchers, type AssayMatchers } from './matchers.js'

export type { AnswerContext, AssayMatchers } from './matchers.js'

// The client (config, fixtures, the Ollama client) loads only when an assertion calls a model.
expect.extend(
  createMatchers((testPath, testName) => {
    const client = import('./client.js').then(({ modelsFor }) => modelsFor(testPath, testName))
    return { judge: async (request) => (await client).judge(request), embed: async (request) => (await client).embed(request) }
  }),
)

// Only `Assertion`: the matchers are async, and an asymmetric matcher (inside toEqual) is checked synchronously.
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> extends AssayMatchers {}
}
