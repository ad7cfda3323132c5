import { resolve } from 'pathe'
import { AssayError, isAssayError } from '../errors.js'
import { formatIssues, fewParses } from '../zod-issues.js'
import { importModule } from '../import-module.js'
import { evalSlug } from '../results/files.js'
import { collectEvals } from './registry.js'
import { evalSpecSchema, type EvalSpec } from './spec.js'

/** An eval declared in a file, validated. */
export interface LoadedEval {
  name: string
  /** Relative POSIX path of its eval file. */
  file: string
  spec: EvalSpec
}

export interface LoadResult {
  evals: LoadedEval[]
  /** Every mistake found, so a user fixes them in one pass rather than one per run. */
  errors: AssayError[]
}

/** Runs each eval file once and gathers what it registered, and what is wrong with it. */
export async function loadEvals(root: string, files: string[]): Promise<LoadResult> {
  const loaded: LoadedEval[] = []
  const errors: AssayError[] = []
  for (const file of files) {
    let registered
    try {
      registered = await collectEvals(resolve(root, file), () => importModule(resolve(root, file)))
    } catch (error) {
      errors.push(loadError(file, error))
      continue
    }
    if (registered.length === 0) {
      errors.push(
        new AssayError('ASSAY_EVAL_INVALID', 'The file declares no eval.', {
          file,
          fix: "Call evaluate('name', { ... }) in it (import { evaluate } from 'assay'), or rename it so it does not end in .eval.ts.",
        }),
      )
    }
    for (const { name, spec } of registered) {
      const problem = checkEval(name, spec)
      if (problem) errors.push(new AssayError('ASSAY_EVAL_INVALID', problem.message, { file, fix: problem.fix }))
      else loaded.push({ name, file, spec })
    }
  }
  const duplicates = [...duplicateNames(loaded), ...sharedSlugs(loaded)]
  const duplicated = new Set(duplicates.flatMap(({ names }) => names))
  return {
    evals: loaded.filter((entry) => !duplicated.has(entry.name)),
    errors: [...errors, ...duplicates.map(({ error }) => error)],
  }
}

/**
 * Different names that make the same folder name (`Foo Bar` and `foo-bar`, two long names that
 * differ only past the 80th character, names of symbols only) would share fixture folders and
 * baseline files, so one eval would replay or be compared against the other's: refused.
 */
function sharedSlugs(evals: LoadedEval[]): { names: string[]; error: AssayError }[] {
  const bySlug = new Map<string, LoadedEval[]>()
  for (const entry of evals) {
    const slug = evalSlug(entry.name)
    const same = bySlug.get(slug) ?? []
    if (!same.some((other) => other.name === entry.name)) bySlug.set(slug, [...same, entry])
  }
  return [...bySlug.entries()]
    .filter(([, entries]) => entries.length > 1)
    .map(([slug, entries]) => ({
      names: entries.map((entry) => entry.name),
      error: new AssayError('ASSAY_EVAL_DUPLICATE', `Evals ${entries.map((e) => `"${e.name}" (${e.file})`).join(' and ')} would share the fixture folder and baseline file "${slug}".`, {
        file: entries[0]!.file,
        fix: 'Rename one so that, lower-cased with runs of symbols as one dash and cut at 80 characters, the names differ.',
      }),
    }))
}

function checkEval(name: unknown, spec: unknown): { message: string; fix: string } | undefined {
  if (typeof name !== 'string' || name.trim() === '') {
    return { message: 'evaluate() needs a non-empty name as its first argument.', fix: "Write evaluate('writer: chapter', { ... })." }
  }
  const parsed = evalSpecSchema.safeParse(spec, fewParses(evalSpecSchema))
  if (!parsed.success) {
    return {
      message: `Eval "${name}" is invalid: ${formatIssues(parsed.error)}.`,
      fix: 'Correct the field named; docs/writing-evals.md lists every field.',
    }
  }
  return undefined
}

function duplicateNames(evals: LoadedEval[]): { names: string[]; error: AssayError }[] {
  const byName = new Map<string, LoadedEval[]>()
  for (const entry of evals) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry])
  return [...byName.entries()]
    .filter(([, entries]) => entries.length > 1)
    .map(([name, entries]) => ({
      names: [name],
      error: new AssayError('ASSAY_EVAL_DUPLICATE', `Eval name "${name}" is declared ${entries.length} times (in ${entries.map((e) => e.file).join(', ')}).`, {
        file: entries[0]?.file,
        fix: 'Give each evaluate() call its own name: results, fixtures and baselines are keyed by it.',
      }),
    }))
}

function loadError(file: string, error: unknown): AssayError {
  if (isAssayError(error)) {
    return new AssayError(error.code, error.message, { file: error.file ?? file, line: error.line, fix: error.fix })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new AssayError('ASSAY_EVAL_LOAD_FAILED', `The eval file failed to load: ${message}`, {
    file,
    fix: 'Fix the error above; an eval file must import and run without a build step.',
    cause: error,
  })
}
