import type { ResolvedConfig, ResolvedProvider } from '../config/schema.js'
import { formatAssayError } from '../errors.js'
import { countCalls } from '../runner/count.js'
import type { LiveProviders } from '../runner/live.js'
import { selectEvals, type SelectOptions } from '../runner/select.js'
import { TemplateLibrary } from '../templates/library.js'
import { fixtureFindings, modelUses, ollamaChecks, openAIChecks, planEach, type Finding, type ModelUse, type ServerCheck } from './checks.js'

/** The checks of each kind of model server; a new kind fails type-checking until it has its own. */
const SERVER_CHECKS: Record<ResolvedProvider['type'], ServerCheck> = {
  ollama: ollamaChecks,
  openai: openAIChecks,
}

/**
 * What the selected evals need before a call is spent: valid evals, templates and cases, fixtures
 * for replay, and, when some call would go to a model, each server up with its models and room
 * for the longest prompt. Calls no model; asks servers only for their version and model lists.
 */
export async function runDoctor(config: ResolvedConfig, select: SelectOptions, live: LiveProviders): Promise<Finding[]> {
  const findings: Finding[] = [{ status: 'ok', text: config.configFile ? `config: ${config.configFile}` : 'config: none (the defaults)' }]
  const loaded = await selectEvals(config, select)
  const { plans, errors } = await planEach(config.root, loaded, await TemplateLibrary.open(config.root, config.templatesDir), config)
  for (const error of errors) {
    const [text = '', fix] = formatAssayError(error).split('\n  Fix: ')
    findings.push({ status: 'problem', text, fix })
  }
  if (plans.length > 0) findings.push({ status: 'ok', text: `${plans.length} eval${plans.length === 1 ? '' : 's'}${errors.length > 0 ? ' more' : ''}: templates and cases valid` })
  const templates = new Map(plans.flatMap((plan) => plan.variants.flatMap((variant) => (variant.template ? [[variant.template.file, variant.template] as const] : []))))
  for (const warning of [...templates.values()].flatMap((template) => template.warnings)) {
    findings.push({ status: 'note', text: `${warning.file}${warning.line ? `:${warning.line}` : ''}: ${warning.message} ${warning.fix}` })
  }
  const counts = await countCalls(config, plans)
  findings.push(...fixtureFindings(config.record, counts))
  const goesLive = config.record !== 'replay' && counts.some((count) => count.live > 0 || count.calls === undefined)
  if (!goesLive) {
    findings.push({ status: 'note', text: `model servers: not asked, as ${config.record === 'replay' ? 'replay' : 'this run'} calls no model` })
    return findings
  }
  const byProvider = new Map<string | undefined, ModelUse[]>()
  for (const use of modelUses(plans)) byProvider.set(use.provider, [...(byProvider.get(use.provider) ?? []), use])
  for (const [provider, uses] of byProvider) {
    const settings = provider === undefined ? { type: 'ollama' as const, hosts: config.ollama.hosts } : config.providers[provider]!
    findings.push(...(await SERVER_CHECKS[settings.type]({ hosts: settings.hosts, uses, live, provider })))
  }
  return findings
}
