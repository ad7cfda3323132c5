import { basename, dirname, join, relative } from 'pathe'
import type { AssertionContext } from '../assertions/types.js'
import { ResponseCache } from '../recording/cache.js'
import { resolveConfig } from '../config/load.js'
import type { ResolvedConfig } from '../config/schema.js'
import { Recorder, type CallTarget } from '../recording/recorder.js'
import { FixtureStore } from '../recording/store.js'
import { liveProviders } from '../runner/live.js'
import { Redactor } from '../output/index.js'

/** The folder, next to a test file, that holds the model calls its matchers recorded. */
export const FIXTURES_FOLDER = '__assay__'

interface Session {
  config: ResolvedConfig
  live: ReturnType<typeof liveProviders>
  cache: ResponseCache | undefined
}

// One config and one live pool per test worker: every test file in it shares the hosts' limits.
let session: Promise<Session> | undefined
const recorders = new Map<string, Recorder>()

/**
 * The recorded-or-live client for one test file, as the runner's: the project's `assay.config.ts`
 * (found from the working directory vitest runs in) gives hosts, record mode, cache and redaction;
 * the record mode is `replay` under CI and `new` otherwise unless the config sets one. Fixtures go
 * to `__assay__/<test file name>/` next to the test file.
 */
export function modelsFor(testPath: string, testName: string): Pick<AssertionContext, 'judge' | 'embed'> {
  const file = basename(testPath)
  const target: CallTarget = {
    evalName: file,
    evalFile: file,
    caseId: testName,
    sample: 0,
    recordWith: `Run this test once with the model server reachable and CI unset (the matchers then record with --record new semantics), then commit ${FIXTURES_FOLDER}/.`,
  }
  return {
    judge: async ({ provider, ...request }) => (await (await recorderFor(testPath)).chat({ ...(provider === undefined ? {} : { provider }), ...request }, target)).response.content,
    embed: async ({ provider, ...request }) => (await (await recorderFor(testPath)).embed({ ...(provider === undefined ? {} : { provider }), ...request }, target)).response.embeddings,
  }
}

async function recorderFor(testPath: string): Promise<Recorder> {
  const { config, live, cache } = await (session ??= start(process.cwd()))
  let recorder = recorders.get(testPath)
  if (recorder === undefined) {
    const fixturesDir = relative(config.root, join(dirname(testPath), FIXTURES_FOLDER))
    recorder = new Recorder(config.record, new FixtureStore(config.root, fixturesDir), live.get, undefined, cache, new Redactor(config.redact))
    recorders.set(testPath, recorder)
  }
  return recorder
}

async function start(root: string): Promise<Session> {
  const config = await resolveConfig(root)
  return { config, live: liveProviders(config), cache: config.cache && new ResponseCache(config.root, config.cache) }
}
