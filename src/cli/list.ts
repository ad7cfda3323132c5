import { coverageSummary, coverageTable } from '../report/coverage.js'
import { templateCoverage } from '../runner/coverage.js'
import type { EvalPlan } from '../runner/plan.js'
import type { TemplateWarning } from '../templates/schema.js'
import type { CliContext } from './context.js'
import { configFromFlags, stringFilters } from './flags.js'
import type { Flags } from './options.js'
import { printOut } from './terminal.js'
import { planRun } from '../runner/plan-run.js'

/** Lists the evals a run would run, after checking templates and cases as a run would. */
export async function listCommand(filters: unknown[], flags: Flags, context: CliContext): Promise<number> {
  const config = await configFromFlags(flags, context)
  const { plans, templates } = await planRun(config, { filters: stringFilters(filters), namePattern: flags.testNamePattern })
  let file: string | undefined
  for (const plan of plans) {
    if (plan.file !== file) {
      file = plan.file
      printOut(`${file}\n`)
    }
    const source = plan.variants
      .map((variant) => {
        const what = variant.template ? `template ${variant.template.name}@${variant.template.version}` : 'task'
        return `${variant.name ? `${variant.name}: ` : ''}${what}${variant.model ? `, model ${variant.model}` : ''}${variant.provider ? ` on ${variant.provider}` : ''}`
      })
      .join('; ')
    const repeat = plan.repeat > 1 ? ` x ${plan.repeat} samples` : ''
    printOut(`  ${plan.name}  (${source}; ${plan.cases.length} cases${repeat})\n`)
  }
  printOut(`\n${plans.length} eval${plans.length === 1 ? '' : 's'}\n`)
  const warnings = templateWarnings(plans)
  if (warnings.length > 0) {
    printOut(`\n${warnings.length} warning${warnings.length === 1 ? '' : 's'}:\n${warnings.map((warning) => `  ${formatWarning(warning)}\n`).join('')}`)
  }
  if (!flags.coverage) return 0
  const coverage = await templateCoverage(templates, plans)
  const filtered = stringFilters(filters).length > 0 || flags.testNamePattern !== undefined
  printOut(`\nTemplate coverage${filtered ? ' (of the selected evals only)' : ''}: ${coverageSummary(coverage)}\n`)
  for (const line of coverageTable(coverage)) printOut(`  ${line}\n`)
  return 0
}

/** The warnings of every template the plans use, once per template. */
export function templateWarnings(plans: EvalPlan[]): TemplateWarning[] {
  const templates = new Map(plans.flatMap((plan) => plan.variants.flatMap((variant) => (variant.template ? [[variant.template.file, variant.template] as const] : []))))
  return [...templates.values()].flatMap((template) => template.warnings)
}

export function formatWarning(warning: TemplateWarning): string {
  return `${warning.file}${warning.line ? `:${warning.line}` : ''}: ${warning.message}\n    Fix: ${warning.fix}`
}
