import type { TemplateCoverage, TemplateUse } from '../results/types.js'
import type { TemplateLibrary } from '../templates/library.js'
import type { EvalPlan } from './plan.js'

/**
 * Template coverage of a set of planned evals. Plans hold resolved templates, so an eval that names
 * a template unpinned uses its latest active version, and a pinned one exactly the version pinned.
 */
export async function templateCoverage(library: TemplateLibrary, plans: readonly EvalPlan[]): Promise<TemplateCoverage> {
  const users = new Map<string, string[]>()
  for (const plan of plans) {
    for (const variant of plan.variants) {
      if (!variant.template) continue
      const key = `${variant.template.name}@${variant.template.version}`
      const user = variant.name === undefined ? plan.name : `${plan.name} [${variant.name}]`
      users.set(key, [...(users.get(key) ?? []), user])
    }
  }
  const templates: TemplateUse[] = (await library.all()).map((loaded) => {
    if (loaded.status === 'invalid') return { name: loaded.name, version: loaded.version, file: loaded.file, active: true, usedBy: [], invalid: loaded.error.message }
    const { name, version, file, active } = loaded.template
    return { name, version, file, active, usedBy: users.get(`${name}@${version}`) ?? [] }
  })
  const active = templates.filter((entry) => entry.active)
  const activeUsed = active.filter((entry) => entry.usedBy.length > 0).length
  return { templates, activeUsed, active: active.length, share: active.length === 0 ? 1 : activeUsed / active.length, gate: undefined }
}
