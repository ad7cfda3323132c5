import { watch } from 'node:fs'
import { relative, resolve } from 'pathe'
import type { ResolvedConfig } from '../config/schema.js'
import { isUserMistake } from '../errors.js'
import { templateFileName } from '../templates/library.js'
import { printFailure } from './print-error.js'
import { printOut } from './terminal.js'
import { planRun } from '../runner/plan-run.js'

const IGNORED = /(^|\/)(node_modules|\.git|\.assay|dist|coverage)(\/|$)/
const DEBOUNCE_MS = 150

/** Which evals depend on which files: their eval file, templates, the partials those include, and cases file. */
interface Dependencies {
  byFile: Map<string, Set<string>>
}

async function dependencies(config: ResolvedConfig): Promise<Dependencies> {
  const byFile = new Map<string, Set<string>>()
  const add = (file: string, evalName: string) => byFile.set(file, (byFile.get(file) ?? new Set()).add(evalName))
  const { plans } = await planRun(config, {})
  for (const plan of plans) {
    add(plan.file, plan.name)
    if (typeof plan.spec.cases === 'string') add(projectPath(config, plan.spec.cases), plan.name)
    for (const variant of plan.variants) {
      // Any version of the template: a new or edited version can change which one "latest" is.
      if (variant.template) add(`template:${variant.template.name}`, plan.name)
      for (const partial of variant.template?.partials.values() ?? []) add(partial.file, plan.name)
    }
  }
  return { byFile }
}

/** A path as the watcher reports it: relative to the project root, POSIX. */
function projectPath(config: ResolvedConfig, path: string): string {
  return relative(config.root, resolve(config.root, path))
}

/** The evals a changed file affects; undefined means all of them (config, or a file we cannot place). */
function affected(file: string, config: ResolvedConfig, deps: Dependencies): Set<string> | undefined {
  if (config.configFile && file === config.configFile) return undefined
  const direct = deps.byFile.get(file)
  if (direct) return direct
  const templates = projectPath(config, config.templatesDir)
  if (file.startsWith(`${templates}/`)) {
    const name = templateFileName(file.slice(templates.length + 1))?.name
    return (name && deps.byFile.get(`template:${name}`)) || new Set()
  }
  if (/\.eval\.[cm]?[jt]s$/.test(file)) return undefined
  return new Set()
}

/**
 * `assay --watch`: run, then rerun the evals a saved eval file, template, partial or cases file affects.
 * Fixtures make reruns instant; in `new` mode only changed requests reach the model.
 */
export async function watchAndRerun(config: ResolvedConfig, runOnce: (namePattern: string | undefined) => Promise<number>): Promise<never> {
  let deps: Dependencies = { byFile: new Map() }
  const refresh = async () => {
    try {
      deps = await dependencies(config)
    } catch (error) {
      if (!isUserMistake(error)) throw error
    }
  }
  const rerun = async (names: Set<string> | undefined) => {
    const pattern = names === undefined ? undefined : `^(${[...names].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`
    try {
      await runOnce(pattern)
    } catch (error) {
      printFailure(error)
    }
    await refresh()
    printOut('\n watching for changes (Ctrl-C to stop)\n')
  }
  let pending = new Set<string>()
  let everything = false
  let timer: NodeJS.Timeout | undefined
  let running = Promise.resolve()
  // The watcher is set up before the first run, so it is ready by the time 'watching for changes'
  // is printed: a file saved right after that line is never missed. A save during the first run
  // queues its rerun behind it.
  watch(config.root, { recursive: true }, (_event, name) => {
    if (!name) return
    const file = name.toString().replaceAll('\\', '/')
    if (IGNORED.test(file) || file.startsWith(`${config.reportsDir}/`) || file.startsWith(`${config.fixturesDir}/`)) return
    const names = affected(file, config, deps)
    if (names === undefined) everything = true
    else names.forEach((n) => pending.add(n))
    if (!everything && pending.size === 0) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      const target = everything ? undefined : pending
      pending = new Set()
      everything = false
      printOut(`\n change in ${file}: rerunning ${target === undefined ? 'every eval' : [...target].join(', ')}\n`)
      running = running.then(() => rerun(target))
    }, DEBOUNCE_MS)
  })
  running = running.then(() => rerun(undefined))
  await running
  return new Promise<never>(() => undefined)
}
