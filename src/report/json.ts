import { join } from 'pathe'
import { writeFileAtomic } from '../atomic-write.js'
import type { RunResults } from '../results/types.js'
import type { Reporter } from './types.js'

/** Writes `results.json`: the run's record, which later commands and reports read. */
export class JsonReporter implements Reporter {
  constructor(private readonly file: string) {}

  async onRunEnd(results: RunResults): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(results, null, 2)}\n`)
  }
}

/** Where `assay run` writes results.json, which baseline save and --failed read back. */
export function resultsFile(root: string, reportsDir: string): string {
  return join(root, reportsDir, 'results.json')
}
