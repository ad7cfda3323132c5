import { ResponseCache } from '../recording/cache.js'
import type { ResolvedConfig } from '../config/schema.js'
import { Redactor } from '../output/index.js'
import { Recorder } from '../recording/recorder.js'
import { FixtureStore } from '../recording/store.js'
import { planRun } from '../runner/plan-run.js'
import { earlyStop, templateMessages, templateRequest } from '../runner/sample.js'
import { printOut } from './terminal.js'

/** A rough token count: about four characters a token for English text. Labelled as an estimate. */
const CHARS_PER_TOKEN = 4

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
}

/** Counts what a run would call, from the plan and the fixture store; calls nothing. */
export async function dryRun(config: ResolvedConfig, select: { filters: string[]; namePattern: string | undefined }): Promise<DryRunCount[]> {
  const plans = await planRun(config, select)
  const cache = config.cache && new ResponseCache(config.root, config.cache)
  // The run's own recorder decides where each answer would come from; it is never asked to call.
  const noCalls = () => {
    throw new Error('--dry-run asked for a live model call')
  }
  const recorder = new Recorder(config.record, new FixtureStore(config.root, config.fixturesDir), noCalls, undefined, cache, new Redactor(config.redact))
  const counts: DryRunCount[] = []
  for (const plan of plans) {
    const count: DryRunCount = { eval: plan.name, calls: 0, inFixtures: 0, inCache: 0, live: 0, liveByProvider: {}, missing: 0, promptTokens: 0, judgeCalls: 0 }
    for (const variant of plan.variants) {
      const judges = variant.assertions.filter((spec) => spec.kind === 'judge').length
      count.judgeCalls += judges * plan.cases.length * plan.repeat
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

/** ` (vllm 8, ollama 8)` when live calls go to a named provider; nothing for Ollama alone. */
function byProvider(count: DryRunCount): string {
  const entries = Object.entries(count.liveByProvider)
  if (entries.length === 0 || (entries.length === 1 && entries[0]![0] === 'ollama')) return ''
  return ` (${entries.map(([name, calls]) => `${name} ${calls}`).join(', ')})`
}

export async function dryRunCommand(config: ResolvedConfig, select: { filters: string[]; namePattern: string | undefined }): Promise<number> {
  const counts = await dryRun(config, select)
  const out = printOut
  out(`\n DRY RUN (record: ${config.record}): nothing is called\n\n`)
  for (const count of counts) {
    if (count.calls === undefined) {
      out(` ${count.eval}: a task; its model calls happen inside your code and are not known before it runs\n`)
      continue
    }
    const judges = count.judgeCalls > 0 ? `, plus about ${count.judgeCalls} judge calls` : ''
    const missing = count.missing > 0 ? `, ${count.missing} missing (replay fails them)` : ''
    out(` ${count.eval}: ${count.calls} calls, ${count.inFixtures} in fixtures, ${count.inCache} in the cache${missing}, ${count.live} to the model${byProvider(count)} (~${count.promptTokens} prompt tokens, estimated at 4 characters a token)${judges}\n`)
  }
  const total = counts.reduce((sum, c) => ({ calls: sum.calls + (c.calls ?? 0), live: sum.live + c.live, tokens: sum.tokens + c.promptTokens }), { calls: 0, live: 0, tokens: 0 })
  out(`\n Total     ${total.calls} calls, ${total.live} to the model, ~${total.tokens} prompt tokens (estimate)\n\n`)
  return 0
}
