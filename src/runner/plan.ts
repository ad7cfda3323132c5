import { resolve } from 'pathe'
import { length } from '../assertions/length.js'
import { language } from '../assertions/language.js'
import { findLanguage } from '../assertions/languages.js'
import type { AssertionSpec } from '../assertions/types.js'
import { describeAssertion } from '../assertions/registry.js'
import { fromScorer } from '../assertions/scorer.js'
import { loadCases, type LoadedCase } from '../cases/load.js'
import type { LoadResult, LoadedEval } from '../discovery/load.js'
import type { CasesSource, EvalSpec, VariantSpec } from '../discovery/spec.js'
import type { ThinkSetting } from '../providers/types.js'
import { AggregateAssayError, AssayError, isAssayError } from '../errors.js'
import { renderExamples, type FewShotExample } from '../templates/examples.js'
import type { TemplateLibrary } from '../templates/library.js'
import { checkVariables } from '../templates/render.js'
import type { PromptTemplate } from '../templates/schema.js'
import { toolDefinitions, type ToolDefinition } from '../providers/tools.js'
import type { ResolvedConfig } from '../config/schema.js'

/** One way of prompting: the eval itself, or one of its variants. */
export interface VariantPlan {
  /** The variant's name; undefined for an eval without variants. */
  name: string | undefined
  template: PromptTemplate | undefined
  /** A provider named in the config; undefined for the `ollama` settings. */
  provider: string | undefined
  model: string | undefined
  options: Record<string, unknown> | undefined
  think: ThinkSetting | undefined
  /** The functions offered to the model, as the request carries them. */
  tools: ToolDefinition[] | undefined
  /** The template's validation block first, then the eval's own. */
  assertions: AssertionSpec[]
  examples: FewShotExample[]
}

/** An eval ready to run: templates resolved, cases loaded and checked against every variant. */
export interface EvalPlan {
  name: string
  file: string
  spec: EvalSpec
  cases: LoadedCase[]
  repeat: number
  threshold: number
  maxExamples: number
  retryOnFail: number
  /** At least one; the first is the baseline of comparisons unless a run names another. */
  variants: VariantPlan[]
  /** Things worth a line before the run: a judge whose verdicts will flicker. */
  warnings: string[]
}

/**
 * Resolves templates and loads cases for every eval before any model call, so a typo in one eval
 * costs nothing in the others. Throws every mistake at once, with those found while loading.
 */
export async function planEvals(
  root: string,
  { evals, errors: loadErrors }: LoadResult,
  templates: TemplateLibrary,
  repeatOverride: number | undefined,
  /** The providers named in the config, by name, with their type. */
  providers: ProviderTypes,
): Promise<EvalPlan[]> {
  const errors: AssayError[] = [...loadErrors]
  const plans: EvalPlan[] = []
  const caseFiles = new Map<string, LoadedCase[]>()
  for (const loaded of evals) {
    try {
      plans.push(await planEval(root, loaded, templates, repeatOverride, providers, caseFiles))
    } catch (error) {
      if (error instanceof AggregateAssayError) errors.push(...error.errors)
      else if (isAssayError(error)) errors.push(error)
      else throw error
    }
  }
  if (errors.length > 0) throw new AggregateAssayError(errors)
  return plans
}

/** What the plan needs to know of the config's providers: their names and what protocol each speaks. */
export type ProviderTypes = Readonly<Record<string, 'ollama' | 'openai'>>

export function providerTypes(config: Pick<ResolvedConfig, 'providers'>): ProviderTypes {
  return Object.fromEntries(Object.entries(config.providers).map(([name, provider]) => [name, provider.type]))
}

async function planEval(
  root: string,
  loaded: LoadedEval,
  templates: TemplateLibrary,
  repeatOverride: number | undefined,
  providers: ProviderTypes,
  caseFiles: Map<string, LoadedCase[]>,
): Promise<EvalPlan> {
  const { name, file } = loaded
  // A sweep is variants written for you: everything downstream (pairing, verdicts, shards) is the same.
  const spec = loaded.spec.sweep ? { ...loaded.spec, variants: sweepVariants(loaded.spec.sweep, loaded.spec.options) } : loaded.spec
  const known = (provider: string | undefined, field: string) => checkProvider(provider, field, Object.keys(providers), file)
  const evalProvider = known(spec.provider, 'provider')
  const cases = await casesOf(root, spec.cases, { evalName: name, evalFile: file }, caseFiles)
  const declared: [string | undefined, VariantSpec][] = spec.variants ? Object.entries(spec.variants) : [[undefined, {}]]
  const variants: VariantPlan[] = []
  for (const [variantName, variant] of declared) {
    const reference = variant.template ?? spec.template
    const template = reference === undefined ? undefined : await templates.resolve(reference, file)
    const tools = variant.tools ?? spec.tools
    if (tools !== undefined && template === undefined) {
      throw new AssayError('ASSAY_EVAL_INVALID', `eval "${name}": tools are offered to the model with a template's prompt, and this eval (or variant) has a task instead.`, { file, fix: 'Use a template with tools, or drop tools from the task eval.' })
    }
    if (template) {
      for (const entry of cases) checkVariables(template, entry.vars, { evalName: name, caseId: entry.id })
    }
    const provider = known(variant.provider, `variants.${variantName}.provider`) ?? evalProvider
    const think = variant.think ?? spec.think
    if (typeof think === 'boolean' && provider !== undefined && providers[provider] === 'openai') {
      const field = variant.think === undefined ? 'think' : `variants.${variantName}.think`
      throw new AssayError('ASSAY_EVAL_INVALID', `eval "${name}": ${field} is ${think}, but provider "${provider}" is OpenAI-compatible, and those servers take a reasoning level, not on or off.`, {
        file,
        fix: "Write think: 'low', 'medium' or 'high' (sent as reasoning_effort), or leave think out for the model's default.",
      })
    }
    const assertions = (spec.assert ?? []).map((item) => (typeof item === 'function' ? fromScorer(item) : item))
    variants.push({
      name: variantName,
      template,
      provider,
      model: variant.model ?? spec.model,
      options: variant.options ?? spec.options,
      think,
      tools: tools === undefined ? undefined : toolDefinitions(tools, `eval "${name}"${variantName === undefined ? '' : ` variant "${variantName}"`} tools`, file),
      assertions: [...(template ? validationAssertions(template) : []), ...assertions.map((item) => judgeOn(item, provider, evalProvider, known))],
      examples: template ? renderExamples(template) : [],
    })
  }
  checkPrimaryMetric(name, file, spec, variants)
  const warnings = [...new Set(variants.flatMap((variant) => variant.assertions.flatMap((assertion) => judgeWarning(name, assertion))))]
  return {
    name,
    file,
    spec,
    warnings,
    cases,
    repeat: repeatOverride ?? spec.repeat ?? 1,
    threshold: spec.threshold ?? 1,
    maxExamples: spec.maxExamples ?? 2,
    retryOnFail: spec.retryOnFail ?? 0,
    variants,
  }
}

/**
 * Evals that read one cases file share its loaded cases: the file is read and parsed once, and a
 * run holds one copy of its cases, not one per eval (cases are read-only once loaded). Only a file
 * that loads is remembered, so each eval that names a broken one gets its own error.
 */
async function casesOf(root: string, source: CasesSource, origin: { evalName: string; evalFile: string }, caseFiles: Map<string, LoadedCase[]>): Promise<LoadedCase[]> {
  if (typeof source !== 'string') return loadCases(root, source, origin)
  const path = resolve(root, source)
  const known = caseFiles.get(path)
  if (known) return known
  const cases = await loadCases(root, source, origin)
  caseFiles.set(path, cases)
  return cases
}

/** A provider named by an eval, variant or judge must be one the config names. */
function checkProvider(provider: string | undefined, field: string, providers: readonly string[], file: string): string | undefined {
  if (provider === undefined || providers.includes(provider)) return provider
  const named = providers.length === 0 ? 'the config names no providers' : `the config names ${providers.map((entry) => `"${entry}"`).join(', ')}`
  throw new AssayError('ASSAY_EVAL_INVALID', `${field} is "${provider}", but ${named}.`, {
    file,
    fix: `Add providers: { ${JSON.stringify(provider)}: { type: 'openai', baseURL: '...' } } to assay.config.ts, or correct the name (leave provider out for the ollama settings).`,
  })
}

/**
 * Fills in a judge's provider: the variant's when the judge also takes the variant's model, else
 * the eval's, so a judge with a model of its own grades every variant on the same server. An
 * embedding model is always a model of its own: the eval's provider unless one is named.
 */
function judgeOn(spec: AssertionSpec, variantProvider: string | undefined, evalProvider: string | undefined, known: (provider: string | undefined, field: string) => string | undefined): AssertionSpec {
  if (spec.kind === 'similar' && spec.method === 'embedding') {
    const provider = known(spec.provider, 'assert.similar() provider') ?? evalProvider
    return provider === spec.provider ? spec : { ...spec, provider }
  }
  if (spec.kind !== 'judge') return spec
  const provider = known(spec.provider, 'assert.judge() provider') ?? (spec.model === undefined ? variantProvider : evalProvider)
  return provider === spec.provider ? spec : { ...spec, provider }
}

/** A `score: <name>` primary metric must name one of the eval's assertions, or no comparison would decide. */
function checkPrimaryMetric(evalName: string, file: string, spec: EvalSpec, variants: VariantPlan[]): void {
  const metric = spec.primaryMetric
  if (metric === undefined || !metric.startsWith('score: ')) return
  const names = [...new Set(variants.flatMap((variant) => variant.assertions.map((assertion) => describeAssertion(assertion))))]
  if (names.includes(metric.slice('score: '.length))) return
  throw new AssayError('ASSAY_EVAL_INVALID', `Eval "${evalName}" has primaryMetric "${metric}", but it has no assertion of that name.`, {
    file,
    fix: `Name one of its assertions: ${names.map((n) => `'score: ${n}'`).join(', ') || '(it has none)'}.`,
  })
}

/**
 * One variant per setting of the grid, named `temperature=0.5` (`temperature=0.5, top_p=0.9` for
 * several options), with the eval's options plus the setting; the first setting is the baseline.
 */
export function sweepVariants(sweep: Record<string, unknown[]>, options: Record<string, unknown> | undefined): Record<string, VariantSpec> {
  let settings: [string, unknown][][] = [[]]
  for (const [option, values] of Object.entries(sweep)) settings = settings.flatMap((setting) => values.map((value) => [...setting, [option, value] as [string, unknown]]))
  return Object.fromEntries(
    settings.map((setting) => [setting.map(([option, value]) => `${option}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', '), { options: { ...options, ...Object.fromEntries(setting) } }]),
  )
}

/** A judge without a fixed seed, or above temperature 0, grades the same answer differently from run to run. */
function judgeWarning(evalName: string, assertion: AssertionSpec): string[] {
  if (assertion.kind !== 'judge') return []
  const { temperature, seed } = assertion.options as { temperature?: unknown; seed?: unknown }
  const problems = [seed === undefined ? 'no fixed seed' : '', temperature === undefined ? 'the server default temperature' : typeof temperature === 'number' && temperature > 0 ? `temperature ${temperature}` : ''].filter(Boolean)
  if (problems.length === 0) return []
  return [`eval "${evalName}": assert.judge() runs with ${problems.join(' and ')}, so its verdicts will flicker between runs; set options: { temperature: 0, seed: 42 }.`]
}

/** A template's `validation` block as assertions: min/max_length in characters, expected_language. */
function validationAssertions(template: PromptTemplate): AssertionSpec[] {
  const { min_length: min, max_length: max, expected_language: expected } = template.validation ?? {}
  const specs: AssertionSpec[] = []
  if (min !== undefined || max !== undefined) {
    if (min !== undefined && max !== undefined && min > max) {
      throw new AssayError('ASSAY_TEMPLATE_INVALID', `validation has min_length ${min} above max_length ${max}.`, { file: template.file, fix: 'Swap them.' })
    }
    specs.push(length({ min, max }))
  }
  if (expected !== undefined) {
    if (!expected.includes('{{') && !findLanguage(expected)) {
      throw new AssayError('ASSAY_TEMPLATE_INVALID', `validation.expected_language "${expected}" is not a language assay knows.`, {
        file: template.file,
        fix: 'Use an ISO 639-1 code such as "en", an English name such as "French", or "{{language}}" to take it from the case.',
      })
    }
    specs.push(language(expected))
  }
  return specs
}
