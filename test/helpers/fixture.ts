import { fixtureKey } from '../../src/recording/key.js'
import { FIXTURE_SCHEMA_VERSION, type Fixture } from '../../src/recording/schema.js'

export const sampleRequest = { model: 'llama3.2', messages: [{ role: 'user' as const, content: 'Hi' }] }
/** The key of sampleFixture's request: the hash a fixture's name must be. */
export const SAMPLE_KEY = fixtureKey(sampleRequest, 0)

/** A fixture as assay writes it for sampleRequest, with `overrides`. */
export function sampleFixture(overrides: Partial<Fixture> = {}): Fixture {
  return {
    schema: FIXTURE_SCHEMA_VERSION,
    key: SAMPLE_KEY,
    eval: 'writer: chapter',
    case: 'dragon',
    sample: 0,
    recordedAt: '2026-11-24T12:00:00.000Z',
    request: sampleRequest,
    response: { content: 'Hello', model: 'llama3.2', usage: { promptTokens: 1, completionTokens: 1 }, timing: { latencyMs: 12.5 } },
    ...overrides,
  }
}
