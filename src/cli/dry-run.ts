import type { ResolvedConfig } from '../config/schema.js'
import { CHARS_PER_TOKEN, countCalls, type DryRunCount } from '../runner/count.js'
import { planRun } from '../runner/plan-run.js'
import { printOut } from './terminal.js'

/** Counts what a run would call, from the plan and the fixture store; calls nothing. */
export async function dryRun(config: ResolvedConfig, select: { filters: string[]; namePattern: string | undefined }): Promise<DryRunCount[]> {
  const { plans } = await planRun(config, select)
  return countCalls(config, plans)
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
    const judges = [count.judgeCalls > 0 ? `, plus about ${count.judgeCalls} judge calls` : '', count.embeddingCalls > 0 ? `, plus up to ${count.embeddingCalls} embedding calls` : ''].join('')
    const missing = count.missing > 0 ? `, ${count.missing} missing (replay fails them)` : ''
    out(` ${count.eval}: ${count.calls} calls, ${count.inFixtures} in fixtures, ${count.inCache} in the cache${missing}, ${count.live} to the model${byProvider(count)} (~${count.promptTokens} prompt tokens, estimated at ${CHARS_PER_TOKEN} characters a token)${judges}\n`)
  }
  const total = counts.reduce((sum, c) => ({ calls: sum.calls + (c.calls ?? 0), live: sum.live + c.live, tokens: sum.tokens + c.promptTokens }), { calls: 0, live: 0, tokens: 0 })
  out(`\n Total     ${total.calls} calls, ${total.live} to the model, ~${total.tokens} prompt tokens (estimate)\n\n`)
  return 0
}
