import type { ResolvedConfig } from '../config/schema.js'
import { Redactor } from '../output/index.js'
import { ResponseCache } from '../recording/cache.js'
import { Recorder } from '../recording/recorder.js'
import { FixtureStore } from '../recording/store.js'
import type { EvalPlan } from './plan.js'
import { earlyStop, templateMessages, templateRequest } from './sample.js'

/** A rough token count: about four characters a token for English text. Labelled as an estimate. */
export const CHARS_PER_TOKEN = 4

export interface DryRunCount {
  eval: string
  /** Answer calls the run would start with; undefined for a task, whose calls are its own. */
  calls: number | undefined
  inFixtures: number
  inCache: number
  /** Calls that would reach the model in this record mode. */
  live: number
  /** The live calls by provider name (`ollama` for the ollama settings), when any goes to a named one. */
  liveByProvider: Record<string, number>
  /** In replay mode: calls with no fixture, which would fail their case. */
  missing: number
  promptTokens: number
  /** Judge calls on top, one per judge assertion per sample (not counted in `calls`). */
  judgeCalls: number
  /** Embedding calls on top, at most one per embedding similarity per sample (not counted in `calls`). */
  embeddingCalls: number
}

/**
 * Per eval: the answer calls its plan makes, and how many are in fixtures, in the cache, missing
 * (replay) or go to the model; from the plan and the stores, calling nothing.
 */
export async function countCalls(config: ResolvedConfig, plans: EvalPlan[]): Promise<DryRunCount[]> {
  const cache = config.cache && new ResponseCache(config.root, config.cache)
  // The run's own recorder decides where each answer would come from; it is never asked to call.
  const noCalls = () => {
    throw new Error('--dry-run asked for a live model call')
  }
  const recorder = new Recorder(config.record, new FixtureStore(config.root, config.fixturesDir), noCalls, undefined, cache, new Redactor(config.redact))
  const counts: DryRunCount[] = []
  for (const plan of plans) {
    const count: DryRunCount = { eval: plan.name, calls: 0, inFixtures: 0, inCache: 0, live: 0, liveByProvider: {}, missing: 0, promptTokens: 0, judgeCalls: 0, embeddingCalls: 0 }
    for (const variant of plan.variants) {
      const judges = variant.assertions.filter((spec) => spec.kind === 'judge').length
      count.judgeCalls += judges * plan.cases.length * plan.repeat
      const embeddings = variant.assertions.filter((spec) => spec.kind === 'similar' && spec.method === 'embedding').length
      count.embeddingCalls += embeddings * plan.cases.length * plan.repeat
      if (!variant.template) {
        count.calls = undefined
        continue
      }
      for (const testCase of plan.cases) {
        const { messages } = templateMessages(plan, variant, testCase)
        const request = templateRequest(plan, variant, messages)
        const cutoff = earlyStop(plan, variant, testCase)?.cutoff
        const characters = messages.reduce((sum, message) => sum + message.content.length, 0)
        for (let sample = 0; sample < plan.repeat; sample++) {
          if (count.calls !== undefined) count.calls++
          const target = { evalName: plan.name, evalFile: plan.file, caseId: testCase.id, sample, template: `${variant.template.name}@${variant.template.version}` }
          const source = await recorder.sourceOf(request, target, { cutoff })
          if (source === 'fixture') count.inFixtures++
          else if (source === 'cache') count.inCache++
          else if (source === 'missing') count.missing++
          else {
            count.live++
            const provider = variant.provider ?? 'ollama'
            count.liveByProvider[provider] = (count.liveByProvider[provider] ?? 0) + 1
            count.promptTokens += Math.ceil(characters / CHARS_PER_TOKEN)
          }
        }
      }
    }
    counts.push(count)
  }
  return counts
}
