import { compareVariants } from '../compare/index.js'
import { DEFAULT_PRIMARY_METRIC } from '../compare/metrics.js'
import { AssayError } from '../errors.js'
import type { EvalResult, RunResults } from '../results/types.js'
import { evalResult, runStatus, summarize } from './aggregate.js'
import { inPlanOrder } from './order.js'

/**
 * Shard blobs back into the results one run would have given: cases in their original order,
 * then every count, aggregate, comparison and verdict computed again over the whole.
 */
export function mergeShards(blobs: { file: string; results: RunResults }[]): RunResults {
  if (blobs.length === 0) throw new AssayError('ASSAY_USAGE', 'There are no shard blobs to merge.', { fix: 'Run `assay run --shard i/n` on each machine and gather their blob-*.json files in one folder.' })
  const shards = blobs.map(({ file, results }) => {
    if (!results.shard) throw new AssayError('ASSAY_RESULTS_INVALID', 'This results file is not a shard blob.', { file, fix: 'Merge the blob-<i>-of-<n>.json files that `assay run --shard i/n` writes.' })
    return { file, results, shard: results.shard }
  })
  const count = shards[0]!.shard.count
  const seen = new Set<number>()
  for (const { file, shard } of shards) {
    if (shard.count !== count) throw new AssayError('ASSAY_USAGE', `Blobs of different splits: ${shard.count} shards here, ${count} in another.`, { file, fix: 'Merge the blobs of one run only.' })
    if (seen.has(shard.index)) throw new AssayError('ASSAY_USAGE', `Shard ${shard.index}/${count} appears twice.`, { file, fix: 'Keep one blob per shard.' })
    seen.add(shard.index)
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index))
  if (missing.length > 0) {
    throw new AssayError('ASSAY_USAGE', `Shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing.`, {
      fix: 'Wait for every shard to finish and gather all blob files before merging.',
    })
  }
  const first = shards[0]!.shard
  const evals: EvalResult[] = []
  for (const name of first.evalOrder) {
    const parts = shards.flatMap(({ results }) => results.evals.filter((entry) => entry.name === name))
    if (parts.length === 0) continue
    const order = first.caseOrder[name] ?? {}
    const cases = inPlanOrder(
      parts.flatMap((part) => part.cases),
      new Map(Object.entries(order)),
      (parts[0]!.variants ?? []).map((variant) => variant.name),
    )
    const shape = parts[0]!
    const variants = shape.variants?.map(({ name: variant, model, template }) => ({ name: variant, model, template }))
    const sweep = shape.sweep?.options
    const baseline = first.baselines[name]
    const primary = shape.primary ?? { metric: DEFAULT_PRIMARY_METRIC, minimumEffect: undefined }
    const comparisons = variants && baseline !== undefined ? compareVariants(cases, variants.map((v) => v.name), baseline, { primaryMetric: primary.metric, minimumEffect: primary.minimumEffect }) : []
    evals.push(evalResult({ ...shape, variants, primary, sweep, baseline }, cases, comparisons, Math.max(...parts.map((part) => part.durationMs))))
  }
  const runs = shards.map(({ results }) => results)
  // Every shard planned the whole suite, so each blob holds the same coverage; the merge owns its gate.
  const coverage = runs[0]!.coverage
  return {
    schemaVersion: runs[0]!.schemaVersion,
    assayVersion: runs[0]!.assayVersion,
    status: coverage?.gate?.pass === false ? 'fail' : runStatus(evals),
    interrupted: runs.some((run) => run.interrupted),
    selection: runs[0]!.selection,
    startedAt: runs.map((run) => run.startedAt).sort()[0]!,
    durationMs: Math.max(...runs.map((run) => run.durationMs)),
    record: runs[0]!.record,
    summary: summarize(evals),
    ...(coverage ? { coverage } : {}),
    evals,
  }
}
