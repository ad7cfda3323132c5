import type { ResolvedConfig } from '../config/schema.js'
import { findEvalFiles } from '../discovery/find.js'
import { loadEvals, type LoadResult } from '../discovery/load.js'
import { AssayError } from '../errors.js'

export interface SelectOptions {
  /** Keep eval files whose path contains any of these. */
  filters?: string[]
  /** A regular expression an eval's name must match (`-t`). */
  namePattern?: string
}

/** Finds, loads and filters the evals a command acts on; mistakes come back with them, for planEvals. */
export async function selectEvals(config: ResolvedConfig, options: SelectOptions): Promise<LoadResult> {
  const pattern = compileNamePattern(options.namePattern)
  const files = await findEvalFiles(config.root, config.include, config.exclude, options.filters)
  if (files.length === 0) {
    const filterText = options.filters?.length ? ` whose path contains ${options.filters.map((f) => `"${f}"`).join(' or ')}` : ''
    throw new AssayError('ASSAY_NO_EVALS', `No eval files${filterText} match ${config.include.join(', ')}.`, {
      fix: options.filters?.length ? 'A filter keeps eval files whose path contains it (`assay list` shows them; -t picks evals by name). Was it meant as a command? `assay --help` lists them.' : 'Create one such as evals/first.eval.ts, or set include in assay.config.ts.',
    })
  }
  const loaded = await loadEvals(config.root, files)
  const evals = loaded.evals.filter((entry) => !pattern || pattern.test(entry.name))
  if (loaded.errors.length > 0) return { evals, errors: loaded.errors }
  if (evals.length === 0) {
    throw new AssayError('ASSAY_NO_EVALS', `No eval name matches -t "${options.namePattern}".`, {
      fix: 'Run `assay list` to see the names; -t takes a regular expression.',
    })
  }
  return { evals, errors: [] }
}

function compileNamePattern(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined || pattern === '') return undefined
  try {
    return new RegExp(pattern)
  } catch (error) {
    throw new AssayError('ASSAY_USAGE', `-t "${pattern}" is not a valid regular expression: ${(error as Error).message}.`, {
      fix: 'Escape special characters, e.g. -t "writer\\: chapter" or -t "^writer".',
    })
  }
}
