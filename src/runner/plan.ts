import type { AssertionSpec } from '../assertions/types.js'
import { loadCases, type LoadedCase } from '../cases/load.js'
import type { LoadedEval, LoadResult } from '../discovery/load.js'
import type { EvalSpec } from '../discovery/spec.js'
import { AggregateAssayError, isAssayError, type AssayError } from '../errors.js'
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
  assertions: AssertionSpec[]
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
    assertions: spec.assert ?? [],
  }
}
