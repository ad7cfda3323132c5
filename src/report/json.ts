import type { ChunkWriter } from '../atomic-write.js'
import type { CaseResult, RunResults } from '../results/types.js'
import { writeCases } from './cases.js'
import { SpooledFileReporter, type CaseSpool } from './spool.js'

/**
 * Writes `results.json`: the run's record, which later commands and reports read. Streamed a
 * case at a time (one case per line inside its eval), so a 100,000-case run is never one string;
 * on a live run the cases that ended while calls were in flight are rendered then (spool.ts).
 */
export class JsonReporter extends SpooledFileReporter {
  constructor(file: string) {
    super(file, caseJson, writeResults)
  }
}

/** A shard's blob (results/files.ts names it): its results, for `assay merge-reports`. */
export class BlobReporter extends JsonReporter {}

/** The same JSON as JSON.stringify(results, null, 2) would parse to, in chunks; `spool`'s text where it has the cases'. */
export async function writeResults(results: RunResults, write: ChunkWriter, spool?: CaseSpool): Promise<void> {
  const { evals, ...run } = results
  const head = JSON.stringify(run, null, 2)
  await write(`${head.slice(0, -2)},\n  "evals": [`)
  for (const [index, result] of evals.entries()) {
    const { cases, ...rest } = result
    const fields = JSON.stringify(rest, null, 2).slice(0, -2).replace(/\n/g, '\n    ')
    await write(`${index === 0 ? '' : ','}\n    ${fields},\n      "cases": [`)
    await writeCases(result, cases, write, caseJson, spool)
    await write(`${cases.length === 0 ? '' : '\n      '}]\n    }`)
  }
  await write(`${evals.length === 0 ? '' : '\n  '}]\n}\n`)
}

/** One case's line in its eval's `cases`. */
function caseJson(entry: CaseResult, index: number): string {
  return `${index === 0 ? '' : ','}\n        ${JSON.stringify(entry)}`
}
