import { readdir } from 'node:fs/promises'
import { join, resolve } from 'pathe'
import { createReporters } from '../report/index.js'
import { endReports, redactReporters } from '../report/redact.js'
import { Redactor } from '../output/index.js'
import { printCommand, printOut } from './terminal.js'
import { isBlobFile } from '../results/files.js'
import { lockReports } from './workspace-lock.js'
import { readResults } from '../results/read.js'
import { mergeShards } from '../runner/merge.js'
import { HistoryStore, prepareHistory, recordRun } from '../history/store.js'
import { gitOnce } from '../git.js'
import type { CliContext } from './context.js'
import { configFromFlags } from './flags.js'
import type { Flags } from './options.js'
import { useColor } from './reporters.js'

/** `assay merge-reports [dir]`: shard blobs in, the reports (and exit code) of one run out. */
export async function mergeCommand(dir: string | undefined, flags: Flags, context: CliContext): Promise<number> {
  const config = await configFromFlags(flags, context)
  const folder = dir ?? config.reportsDir
  const names = (await readdir(resolve(config.root, folder)).catch(() => [] as string[])).filter(isBlobFile).sort()
  const blobs = await Promise.all(names.map(async (name) => ({ file: join(folder, name), results: await readResults(resolve(config.root, folder, name), join(folder, name)) })))
  const shards = mergeShards(blobs)
  const release = await lockReports(config.root, config.reportsDir)
  // The merged run is one run of the whole suite: it is the one that goes into the history.
  const redactor = new Redactor(config.redact)
  // One git lookup for the history and the HTML report, as in a run.
  const git = gitOnce(config.root)
  const store = config.history && !shards.interrupted ? new HistoryStore(config.root, config.history, redactor) : undefined
  const merged = store ? await recordRun(shards, store, config.root, prepareHistory(store, config.root, shards.evals.map((result) => result.name), git.state)) : shards
  const reporters = redactReporters(
    createReporters(config.reporters, {
      root: config.root,
      outputDir: config.reportsDir,
      write: printOut,
      command: printCommand,
      color: useColor(context.stdout, context.env),
      tty: false,
    }),
    redactor,
  )
  printOut(`\n MERGE ${blobs.length} shard blobs from ${folder}/\n\n`)
  for (const result of merged.evals) for (const reporter of reporters) reporter.onEvalEnd?.(result)
  for (const reporter of reporters) reporter.prepare?.({ git })
  try {
    await endReports(reporters, merged)
  } finally {
    release()
  }
  return merged.status === 'pass' ? 0 : 1
}
