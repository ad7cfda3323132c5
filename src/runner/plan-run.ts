import type { ResolvedConfig } from '../config/schema.js'
import { TemplateLibrary } from '../templates/library.js'
import { planEvals, providerTypes, type EvalPlan } from './plan.js'
import { selectEvals, type SelectOptions } from './select.js'

/**
 * Select, open the templates, plan: what `run`, `list`, `--dry-run` and `--watch` all start from.
 * Every mistake found on the way is gathered and thrown together (exit 2, before any model call).
 * The library comes back with the plans, its templates loaded, for template coverage to reuse.
 */
export async function planRun(config: ResolvedConfig, select: SelectOptions): Promise<{ plans: EvalPlan[]; templates: TemplateLibrary }> {
  const evals = await selectEvals(config, select)
  const templates = await TemplateLibrary.open(config.root, config.templatesDir)
  return { plans: await planEvals(config.root, evals, templates, config.repeat, providerTypes(config)), templates }
}
