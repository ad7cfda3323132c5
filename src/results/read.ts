import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { AssayError } from '../errors.js'
import { formatIssues } from '../zod-issues.js'
import { runResultsSchema } from './schema.js'
import { RESULTS_SCHEMA_VERSION, type RunResults } from './types.js'

/** Reads a results.json written by assay, checking it is one and of a schema this version reads. */
export async function readResults(path: string, shown: string): Promise<RunResults> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new AssayError('ASSAY_RESULTS_INVALID', missing ? 'There is no results file here.' : `The results file is not valid JSON: ${(error as Error).message}.`, {
      file: shown,
      fix: missing ? 'Run `assay run` first: it writes reports/results.json.' : 'Run the evals again to rewrite it.',
    })
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new AssayError('ASSAY_RESULTS_INVALID', `This is not an assay results file of schema ${RESULTS_SCHEMA_VERSION} (schemaVersion: ${JSON.stringify(version)}).`, {
      file: shown,
      fix: 'Pass a reports/results.json written by this version of assay, or run the evals again.',
    })
  }
  const parsed = runResultsSchema.safeParse(data)
  if (!parsed.success) {
    throw new AssayError('ASSAY_RESULTS_INVALID', `The results file does not hold what assay writes: ${formatIssues(new z.ZodError(parsed.error.issues.slice(0, 5)))}.`, {
      file: shown,
      fix: 'Was it edited by hand? Run the evals again to rewrite it.',
    })
  }
  // Checked where later commands read it (results/schema.ts); the statistics inside are
  // recomputed by whoever needs them.
  return parsed.data as unknown as RunResults
}
