import { planEvals } from '../runner/plan.js'
import { selectEvals } from '../runner/select.js'
import { TemplateLibrary } from '../templates/library.js'
import { configFromFlags, stringFilters } from './flags.js'
import type { CliFlags } from './flags.js'
import { printOut } from './terminal.js'

/** Lists the evals a run would run, after checking templates and cases as a run would. */
export async function listCommand(filters: unknown[], flags: CliFlags): Promise<number> {
  const config = await configFromFlags(flags)
  const evals = await selectEvals(config, { filters: stringFilters(filters), namePattern: flags.testNamePattern })
  const plans = await planEvals(config.root, evals, await TemplateLibrary.open(config.root, config.templatesDir), config.repeat, Object.keys(config.providers))
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
  return 0
}
