import type { ResolvedConfig } from '../config/schema.js'
import { AggregateAssayError, isAssayError, type AssayError } from '../errors.js'
import type { LiveProviders } from '../runner/live.js'
import type { Provider } from '../providers/types.js'
import { planEvals, providerTypes, type EvalPlan } from '../runner/plan.js'
import type { LoadResult } from '../discovery/load.js'
import { templateMessages } from '../runner/sample.js'
import type { TemplateLibrary } from '../templates/library.js'
import { OllamaProvider } from '../providers/ollama.js'
import { CHARS_PER_TOKEN, contextLengthFromShow, estimatePromptTokens, numCtxOption, suggestedNumCtx } from '../providers/context-window.js'
import type { DryRunCount } from '../runner/count.js'

/** One line of the doctor's report. A problem carries the fix; a note is neither good nor bad. */
export type Finding = { status: 'ok' | 'note'; text: string } | { status: 'problem'; text: string; fix: string | undefined }

/** The longest prompt sent with one context setting. */
export interface LongestPrompt {
  /** Estimated tokens. */
  tokens: number
  /** Where it is: `eval "x" [v2], case "y"`. */
  at: string
}

/** A model the selected evals call, on the provider that serves it (undefined: the `ollama` settings). */
export interface ModelUse {
  provider: string | undefined
  model: string
  /** The longest rendered prompt per `options.num_ctx` (undefined: the server's window); none when only tasks and judges call it. */
  longest: Map<number | undefined, LongestPrompt>
}

/** What a server kind checks for the models it serves: reachable, the models there, room for the prompts. */
export type ServerCheck = (input: { hosts: string[]; uses: ModelUse[]; live: LiveProviders; provider: string | undefined }) => Promise<Finding[]>

/** Plans each eval on its own, so one broken eval still lets the others be checked. */
export async function planEach(root: string, loaded: LoadResult, templates: TemplateLibrary, config: ResolvedConfig): Promise<{ plans: EvalPlan[]; errors: AssayError[] }> {
  const plans: EvalPlan[] = []
  const errors: AssayError[] = [...loaded.errors]
  for (const entry of loaded.evals) {
    try {
      plans.push(...(await planEvals(root, { evals: [entry], errors: [] }, templates, config.repeat, providerTypes(config))))
    } catch (error) {
      if (error instanceof AggregateAssayError) errors.push(...error.errors)
      else if (isAssayError(error)) errors.push(error)
      else throw error
    }
  }
  return { plans, errors }
}

/** Every (provider, model) the plans call, answers and judges alike, with the longest prompt each gets. */
export function modelUses(plans: EvalPlan[]): ModelUse[] {
  const uses = new Map<string, ModelUse>()
  const use = (provider: string | undefined, model: string | undefined): ModelUse | undefined => {
    if (model === undefined) return undefined
    const key = `${provider ?? ''}\u0000${model}`
    let found = uses.get(key)
    if (!found) uses.set(key, (found = { provider, model, longest: new Map() }))
    return found
  }
  for (const plan of plans) {
    for (const variant of plan.variants) {
      const target = use(variant.provider, variant.model)
      for (const spec of variant.assertions) {
        if (spec.kind === 'judge') use(spec.provider ?? variant.provider, spec.model ?? variant.model)
        // An embedding model must be pulled too; the plan has filled in its provider.
        if (spec.kind === 'similar' && spec.method === 'embedding') use(spec.provider, spec.model)
      }
      if (!target || !variant.template) continue
      const numCtx = numCtxOption(variant.options)
      for (const testCase of plan.cases) {
        const tokens = estimatePromptTokens(templateMessages(plan, variant, testCase).messages)
        if (tokens > (target.longest.get(numCtx)?.tokens ?? 0)) {
          target.longest.set(numCtx, { tokens, at: `eval "${plan.name}"${variant.name === undefined ? '' : ` [${variant.name}]`}, case "${testCase.id}"` })
        }
      }
    }
  }
  return [...uses.values()]
}

/** Fixtures against the record mode: in replay a missing one fails its case. */
export function fixtureFindings(record: ResolvedConfig['record'], counts: DryRunCount[]): Finding[] {
  if (record === 'all' || record === 'off') return [{ status: 'note', text: `fixtures: not read (record: ${record}); every call goes to the model` }]
  const findings: Finding[] = []
  let calls = 0
  let recorded = 0
  for (const count of counts) {
    if (count.calls === undefined) continue
    calls += count.calls
    recorded += count.inFixtures + count.inCache
    if (count.missing > 0) {
      findings.push({
        status: 'problem',
        text: `eval "${count.eval}": ${count.missing} of ${count.calls} calls have no fixture, and replay fails those cases`,
        fix: `record them against a running model server: npx assay run -t "^${escapeRegExp(count.eval)}$" --record new, then commit fixtures/`,
      })
    }
  }
  if (findings.length > 0) return findings
  if (record === 'replay') return [{ status: 'ok', text: `fixtures: all ${calls} calls recorded for replay` }]
  return [{ status: calls === recorded ? 'ok' : 'note', text: `fixtures: ${recorded} of ${calls} calls recorded; ${calls - recorded} will call the model and be recorded` }]
}

/** Ollama: the version of every host, each model pulled (`/api/tags`), and its context window (`/api/show`). */
export const ollamaChecks: ServerCheck = async ({ hosts, uses, live, provider }) => {
  const findings: Finding[] = []
  let reachable = true
  for (const host of hosts) {
    try {
      const version = await new OllamaProvider(host).version()
      findings.push({ status: 'ok', text: `Ollama ${version} at ${host}` })
    } catch (error) {
      reachable = false
      findings.push({ status: 'problem', text: `Ollama at ${host} does not answer (${causeOf(error)})`, fix: `start it with \`ollama serve\`, or point ${provider === undefined ? 'OLLAMA_HOST or ollama.host in assay.config.ts' : `providers.${provider} in assay.config.ts`} at it` })
    }
  }
  if (!reachable) return findings
  for (const use of uses) {
    const check = await live.get(provider).check(use.model)
    if (check.status !== 'ok') {
      // The words a run prints for the same 404, fix included (`ollama pull <model>`).
      findings.push({ status: 'problem', text: withoutStop(check.message), fix: check.fix })
      continue
    }
    findings.push({ status: 'ok', text: `model ${use.model} pulled` })
    for (const [numCtx, longest] of use.longest) findings.push(await contextFinding(live.get(provider), use.model, numCtx, longest))
  }
  return findings
}

/** The longest prompt against the window it runs in: `options.num_ctx`, else what `/api/show` reports. */
async function contextFinding(server: Provider, model: string, numCtx: number | undefined, longest: LongestPrompt): Promise<Finding> {
  let window: { tokens: number; source: string } | undefined
  if (numCtx !== undefined) window = { tokens: numCtx, source: 'options.num_ctx' }
  else {
    try {
      window = contextLengthFromShow((await server.show?.(model)) ?? {})
    } catch (error) {
      return { status: 'note', text: `context window of ${model}: /api/show failed (${causeOf(error)}), so the prompts were not measured against it` }
    }
  }
  const prompt = `the longest prompt (${longest.at}) is ~${longest.tokens} tokens (estimated at ${CHARS_PER_TOKEN} characters a token)`
  if (!window) return { status: 'note', text: `context window of ${model}: /api/show names none; ${prompt}` }
  if (longest.tokens > window.tokens) {
    return {
      status: 'problem',
      text: `${prompt}, more than the ${window.tokens} tokens of ${model}'s context window (${window.source}): the server would cut the prompt`,
      fix: numCtx === undefined ? 'shorten the prompt or its case, or use a model with a larger window' : `raise options.num_ctx to ${suggestedNumCtx(longest.tokens)} or more, or shorten the prompt`,
    }
  }
  return { status: 'ok', text: `context: ${prompt}, within the ${window.tokens} tokens of ${model} (${window.source})` }
}

/** OpenAI-compatible servers: each model served (`/models`). Their context windows are not asked. */
export const openAIChecks: ServerCheck = async ({ uses, live, provider }) => {
  const findings: Finding[] = []
  for (const use of uses) {
    const check = await live.get(provider).check(use.model)
    if (check.status === 'ok') findings.push({ status: 'ok', text: `provider ${provider}: model ${use.model} served` })
    else {
      findings.push({ status: 'problem', text: withoutStop(check.message), fix: check.fix })
      if (check.status === 'unreachable' || check.status === 'unauthorized') break
    }
  }
  return findings
}

function causeOf(error: unknown): string {
  // A system error's code (ECONNREFUSED); not a DOMException's number (a timeout's cause).
  const cause = (error as { cause?: { code?: unknown; message?: string } }).cause
  return (typeof cause?.code === 'string' ? cause.code : undefined) ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}

function withoutStop(text: string): string {
  return text.replace(/\.$/, '')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
