import { relative } from 'pathe'
import type { ReporterName } from '../config/schema.js'
import { ConsoleReporter } from './console.js'
import { JsonReporter, resultsFile } from './json.js'
import type { Reporter } from './types.js'

export interface ReporterContext {
  root: string
  reportsDir: string
  write: (text: string) => void
  color: boolean
}

const reporterFactories: Record<ReporterName, (context: ReporterContext, names: ReporterName[]) => Reporter> = {
  default: (context, names) =>
    new ConsoleReporter({
      write: context.write,
      color: context.color,
      resultsFile: names.includes('json') ? relative(context.root, resultsFile(context.root, context.reportsDir)) : undefined,
    }),
  json: (context) => new JsonReporter(resultsFile(context.root, context.reportsDir)),
}

export function createReporters(names: ReporterName[], context: ReporterContext): Reporter[] {
  return [...new Set(names)].map((name) => reporterFactories[name](context, names))
}

export type { Reporter, RunStart } from './types.js'
