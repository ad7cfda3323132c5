import { extname, resolve } from 'pathe'
import { z } from 'zod'
import { AssayError, isAssayError } from '../errors.js'
import type { CasesSource, EvalCase } from '../discovery/spec.js'
import { formatIssues } from '../zod-issues.js'
import { decodeText, FileTooLarge, readBytesSync } from '../text-file.js'
import { loadYaml } from '../yaml.js'

/**
 * The most bytes a cases file may hold. 100,000 cases of a few hundred bytes are about 15 MB; past
 * this a file is a mistake (a log or a dump named as cases), and reading it whole would only
 * exhaust memory.
 */
export const MAX_CASE_FILE_BYTES = 256 * 1024 * 1024

export const caseSchema = z.strictObject({
  name: z.string().min(1).optional(),
  vars: z.record(z.string(), z.unknown()),
  reference: z.string().optional(),
  tags: z.array(z.string()).optional(),
})

/**
 * True when a JSONL line (parsed JSON) is a case caseSchema accepts as it is: an object of only the
 * schema's keys, `vars` an object, a non-empty `name`, a string `reference` and string `tags` where
 * given. A line of a cases file is then taken without zod, whose parse would copy it (and whose
 * compiled schema is 60 KB of code to load and a function to generate). `vars` with a `__proto__`
 * key is left to the schema (its copy makes that key the prototype). Anything else goes through
 * the schema, which decides and words the error, so this may only be stricter than caseSchema,
 * never looser: test/cases/load.test.ts holds it to that.
 */
export function isExactCase(value: unknown): value is EvalCase {
  if (!isPlainObject(value)) return false
  for (const key in value) if (key !== 'name' && key !== 'vars' && key !== 'reference' && key !== 'tags') return false
  const { name, vars, reference, tags } = value
  return (
    (name === undefined || (typeof name === 'string' && name !== '')) &&
    isPlainObject(vars) &&
    !Object.hasOwn(vars, '__proto__') &&
    (reference === undefined || typeof reference === 'string') &&
    (tags === undefined || (Array.isArray(tags) && tags.every((tag) => typeof tag === 'string')))
  )
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype

/** A case with the id results, fixtures and baselines know it by. */
export interface LoadedCase extends EvalCase {
  id: string
}

/** Where the cases came from, for error messages. */
interface Origin {
  evalName: string
  evalFile: string
}

export async function loadCases(root: string, source: CasesSource, origin: Origin): Promise<LoadedCase[]> {
  const cases =
    typeof source === 'string'
      ? await readCaseFile(root, source, origin)
      : checkCases(typeof source === 'function' ? await callCases(source, origin) : source, origin)
  if (cases.length === 0) {
    throw new AssayError('ASSAY_CASES_INVALID', `Eval "${origin.evalName}" has no cases.`, {
      file: typeof source === 'string' ? source : origin.evalFile,
      fix: 'Add at least one case: { vars: { ... } }.',
    })
  }
  return withIds(cases, typeof source === 'string' ? source : origin.evalFile, origin)
}

async function callCases(source: () => EvalCase[] | Promise<EvalCase[]>, origin: Origin): Promise<unknown> {
  try {
    return await source()
  } catch (error) {
    throw new AssayError('ASSAY_CASES_INVALID', `The cases function of eval "${origin.evalName}" threw: ${(error as Error).message}`, {
      file: origin.evalFile,
      fix: 'Fix the function so it returns an array of { vars } objects.',
      cause: error,
    })
  }
}

function checkCases(value: unknown, origin: Origin): EvalCase[] {
  const parsed = z.array(caseSchema).safeParse(value)
  if (!parsed.success) {
    throw new AssayError('ASSAY_CASES_INVALID', `The cases of eval "${origin.evalName}" are invalid: ${formatIssues(parsed.error, 'cases')}.`, {
      file: origin.evalFile,
      fix: 'Each case is { name?, vars: { ... }, reference?, tags? }.',
    })
  }
  return parsed.data
}

async function readCaseFile(root: string, path: string, origin: Origin): Promise<EvalCase[]> {
  let bytes: Uint8Array | undefined
  try {
    bytes = readBytesSync(resolve(root, path), MAX_CASE_FILE_BYTES, true)
  } catch (error) {
    const problem = error instanceof FileTooLarge ? `is ${error.message}` : `could not be read: ${(error as Error).message}`
    throw new AssayError('ASSAY_CASES_INVALID', `The cases file of eval "${origin.evalName}" ${problem}.`, {
      file: path,
      fix:
        error instanceof FileTooLarge
          ? `Check that ${path} is the cases file you meant; split a suite this large into several cases files, one eval each.`
          : `Check that ${path} is a readable file, not a folder.`,
    })
  }
  if (bytes === undefined) {
    throw new AssayError('ASSAY_CASES_NOT_FOUND', `The cases file of eval "${origin.evalName}" does not exist.`, {
      file: path,
      fix: `Create ${path}, or correct the path in ${origin.evalFile} (paths are relative to the project root).`,
    })
  }
  const text = decodeText(bytes, path, 'ASSAY_CASES_INVALID')
  const extension = extname(path).toLowerCase()
  if (extension === '.jsonl' || extension === '.ndjson') return parseJsonLines(text, path)
  if (extension === '.json') return parseWhole(() => JSON.parse(text), path)
  if (extension === '.yaml' || extension === '.yml') return parseWhole(() => loadYaml(text, path), path)
  throw new AssayError('ASSAY_CASES_INVALID', `Cases files must be .jsonl, .json or .yaml, not "${extension || path}".`, {
    file: origin.evalFile,
    fix: 'Convert the file, or return the cases from a function.',
  })
}

function parseJsonLines(text: string, file: string): EvalCase[] {
  const cases: EvalCase[] = []
  const lines = text.split('\n')
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim()
    if (line === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      throw new AssayError('ASSAY_CASES_INVALID', `Line ${index + 1} is not valid JSON: ${(error as Error).message}.`, {
        file,
        line: index + 1,
        fix: 'Each line of a JSONL file is one JSON object: {"vars": {...}}.',
      })
    }
    if (isExactCase(value)) {
      cases.push(value)
      continue
    }
    const parsed = caseSchema.safeParse(value)
    if (!parsed.success) {
      throw new AssayError('ASSAY_CASES_INVALID', `Line ${index + 1} is not a case: ${formatIssues(parsed.error)}.`, {
        file,
        line: index + 1,
        fix: 'A case is {"name"?, "vars": {...}, "reference"?, "tags"?}.',
      })
    }
    cases.push(parsed.data)
  }
  return cases
}

function parseWhole(parse: () => unknown, file: string): EvalCase[] {
  let value: unknown
  try {
    value = parse()
  } catch (error) {
    if (isAssayError(error)) throw error
    const line = (error as { mark?: { line?: number } }).mark?.line
    throw new AssayError('ASSAY_CASES_INVALID', `The file cannot be parsed: ${(error as Error).message.split('\n')[0]}.`, {
      file,
      line: line === undefined ? undefined : line + 1,
      fix: 'Fix the syntax; the file holds an array of cases.',
    })
  }
  const parsed = z.array(caseSchema).safeParse(value)
  if (!parsed.success) {
    throw new AssayError('ASSAY_CASES_INVALID', `The file does not hold an array of cases: ${formatIssues(parsed.error, 'cases')}.`, {
      file,
      fix: 'The file holds an array of { name?, vars: { ... }, reference?, tags? }.',
    })
  }
  return parsed.data
}

function withIds(cases: EvalCase[], file: string, origin: Origin): LoadedCase[] {
  const seen = new Set<string>()
  return cases.map((entry, index) => {
    const id = entry.name ?? `#${index + 1}`
    if (seen.has(id)) {
      throw new AssayError('ASSAY_CASES_INVALID', `Eval "${origin.evalName}" has two cases named "${id}".`, {
        file,
        fix: 'Give each case its own name: results and baselines are keyed by it.',
      })
    }
    seen.add(id)
    // Built field by field: `{ ...entry, id }` gave every case of a long list its own hidden class
    // (V8 clones the map of zod's output object per spread), 0.4 KB a case held all run long.
    const loaded: LoadedCase = entry.name === undefined ? { vars: entry.vars, id } : { name: entry.name, vars: entry.vars, id }
    if (entry.reference !== undefined) loaded.reference = entry.reference
    if (entry.tags !== undefined) loaded.tags = entry.tags
    return loaded
  })
}
