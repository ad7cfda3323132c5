import { basename, resolve } from 'pathe'
import { compareRuns } from '../compare/runs.js'
import { readResults } from '../results/read.js'
import type { CliContext } from './context.js'
import type { Flags } from './options.js'
import { printOut } from './terminal.js'

/** `assay compare <before> <after>`: every eval in both files, every metric, paired by case. */
export async function compareCommand(before: string, after: string, flags: Flags, context: CliContext): Promise<number> {
  const root = resolve(context.cwd, flags.root ?? '.')
  const [a, b] = await Promise.all([readResults(resolve(root, before), before), readResults(resolve(root, after), after)])
  const labels: [string, string] = basename(before) === basename(after) ? ['before', 'after'] : [basename(before), basename(after)]
  const byName = new Map(a.evals.map((entry) => [entry.name, entry]))
  let shown = 0
  for (const entry of b.evals) {
    const old = byName.get(entry.name)
    if (!old) continue
    shown++
    printOut(`${entry.name}\n`)
    for (const comparison of compareRuns(old.cases, entry.cases, labels)) printOut(`  ${comparison.sentence}\n`)
  }
  const onlyOne = [...a.evals.filter((e) => !b.evals.some((x) => x.name === e.name)), ...b.evals.filter((e) => !byName.has(e.name))].map((e) => e.name)
  if (onlyOne.length > 0) printOut(`\nIn one file only (not compared): ${onlyOne.join(', ')}\n`)
  printOut(`\n${shown} eval${shown === 1 ? '' : 's'} compared (${labels[1]} against ${labels[0]})\n`)
  return 0
}
