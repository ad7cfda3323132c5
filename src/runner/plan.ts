import { length } from '../assertions/length.js'
import { language } from '../assertions/language.js'
import { findLanguage } from '../assertions/languages.js'
import type { AssertionSpec } from '../assertions/types.js'
import { loadCases, type LoadedCase } from '../cases/load.js'
import type { LoadResult, LoadedEval } from '../discovery/load.js'
import type { EvalSpec } from '../discovery/spec.js'
import { AggregateAssayError, AssayError, isAssayError } from '../errors.js'
import { renderExamples, type FewShotExample } from '../templates/examples.js'
import type { TemplateLibrary } from '../templates/library.js'
import { checkVariables } from '../templates/render.js'
import type { PromptTemplate } from '../templates/schema.js'

/** An eval ready to run: its template resolved, its cases loaded and checked. */
export interface EvalPlan {
  name: string
  file: string
  spec: EvalSpec
  template: PromptTemplate | undefined
  cases: LoadedCase[]
  repeat: number
  threshold: number
  /** The template's validation block first, then the eval's own. */
  assertions: AssertionSpec[]
  examples: FewShotExample[]
  maxExamples: number
  retryOnFail: number
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
): Promise<EvalPlan[]> {
  const errors: AssayError[] = [...loadErrors]
  const plans: EvalPlan[] = []
  for (const loaded of evals) {
    try {
      plans.push(await planEval(root, loaded, templates, repeatOverride))
    } catch (error) {
      if (!isAssayError(error)) throw error
      errors.push(error)
    }
  }
  if (errors.length > 0) throw new AggregateAssayError(errors)
  return plans
}

async function planEval(root: string, loaded: LoadedEval, templates: TemplateLibrary, repeatOverride: number | undefined): Promise<EvalPlan> {
  const { spec, name, file } = loaded
  const template = spec.template === undefined ? undefined : await templates.resolve(spec.template, file)
  const cases = await loadCases(root, spec.cases, { evalName: name, evalFile: file })
  if (template) {
    for (const entry of cases) checkVariables(template, entry.vars, { evalName: name, caseId: entry.id })
  }
  return {
    name,
    file,
    spec,
    template,
    cases,
    repeat: repeatOverride ?? spec.repeat ?? 1,
    threshold: spec.threshold ?? 1,
    assertions: [...(template ? validationAssertions(template) : []), ...(spec.assert ?? [])],
    examples: template ? renderExamples(template) : [],
    maxExamples: spec.maxExamples ?? 2,
    retryOnFail: spec.retryOnFail ?? 0,
  }
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
