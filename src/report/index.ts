import { join, relative } from 'pathe'
import { RESULTS_FILE } from '../results/files.js'
import type { ReporterName } from '../results/words.js'
import { ConsoleReporter } from './console.js'
import { DotReporter } from './dot.js'
import { GithubActionsReporter } from './github.js'
import { HtmlReporter } from './html/index.js'
import { JsonReporter } from './json.js'
import { JunitReporter } from './junit.js'
import { MetricsReporter } from './metrics.js'
import type { Reporter } from './types.js'

export interface ReporterContext {
  root: string
  /** Where report files go, relative to root. */
  outputDir: string
  write: (text: string) => void
  /** Where the github reporter's workflow commands go: like write, but their `::` is not defused. @default write */
  command?: (line: string) => void
  color: boolean
  /** A live progress line: stdout is a terminal. */
  tty: boolean
}

/** The file each file-writing reporter writes, relative to outputDir. */
const FILES: Partial<Record<ReporterName, string>> = { json: RESULTS_FILE, junit: 'junit.xml', html: 'index.html', metrics: 'metrics.jsonl' }

type Factory = (context: ReporterContext, reports: string[]) => Reporter

const reporterFactories: Record<ReporterName, Factory> = {
  default: (context, reports) => new ConsoleReporter({ write: context.write, color: context.color, progress: context.tty, reports }),
  verbose: (context, reports) => new ConsoleReporter({ write: context.write, color: context.color, progress: context.tty, verbose: true, reports }),
  dot: (context, reports) => new DotReporter({ write: context.write, color: context.color, reports }),
  json: (context) => new JsonReporter(join(context.root, context.outputDir, FILES.json!)),
  junit: (context) => new JunitReporter(join(context.root, context.outputDir, FILES.junit!)),
  html: (context) => new HtmlReporter(join(context.root, context.outputDir, FILES.html!), context.root),
  metrics: (context) => new MetricsReporter(join(context.root, context.outputDir, FILES.metrics!)),
  github: (context) => new GithubActionsReporter(context.command ?? context.write),
}

export function createReporters(names: ReporterName[], context: ReporterContext): Reporter[] {
  const unique = [...new Set(names)]
  const reports = unique.flatMap((name) => (FILES[name] ? [relative(context.root, join(context.root, context.outputDir, FILES[name]))] : []))
  return unique.map((name) => reporterFactories[name](context, reports))
}

export type { Reporter, RunStart } from './types.js'
