import { writeFileStreamed, type ChunkWriter } from '../atomic-write.js'
import type { RunResults } from '../results/types.js'
import type { Reporter } from './types.js'

/**
 * Writes `results.json`: the run's record, which later commands and reports read. Streamed a
 * case at a time (one case per line inside its eval), so a 100,000-case run is never one string.
 */
export class JsonReporter implements Reporter {
  constructor(private readonly file: string) {}

  async onRunEnd(results: RunResults): Promise<void> {
    await writeFileStreamed(this.file, (write) => writeResults(results, write))
  }
}

/** A shard's blob (results/files.ts names it): its results, for `assay merge-reports`. */
export class BlobReporter extends JsonReporter {}

/** The same JSON as JSON.stringify(results, null, 2) would parse to, in chunks. */
export async function writeResults(results: RunResults, write: ChunkWriter): Promise<void> {
  const { evals, ...run } = results
  const head = JSON.stringify(run, null, 2)
  await write(`${head.slice(0, -2)},\n  "evals": [`)
  for (const [index, result] of evals.entries()) {
    const { cases, ...rest } = result
    const fields = JSON.stringify(rest, null, 2).slice(0, -2).replace(/\n/g, '\n    ')
    await write(`${index === 0 ? '' : ','}\n    ${fields},\n      "cases": [`)
    for (const [i, entry] of cases.entries()) {
      // Awaited only when write asks to wait (ChunkWriter): an await per case was most of the writing.
      const wait = write(`${i === 0 ? '' : ','}\n        ${JSON.stringify(entry)}`)
      if (wait) await wait
    }
    await write(`${cases.length === 0 ? '' : '\n      '}]\n    }`)
  }
  await write(`${evals.length === 0 ? '' : '\n  '}]\n}\n`)
}
