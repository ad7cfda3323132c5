import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'pathe'
import { writeFileAtomic } from '../atomic-write.js'
import { IGNORED, starterFiles, type InitAnswers } from './files.js'

/** What init did to each file: it never overwrites one. */
export interface InitOutcome {
  created: string[]
  /** Files that already existed, left as they were. */
  skipped: string[]
  /** `.gitignore` lines added, when any were missing. */
  ignored: string[]
}

/** Writes the starter files that do not exist yet under `root`, and the `.gitignore` lines. */
export async function initProject(root: string, answers: InitAnswers): Promise<InitOutcome> {
  const outcome: InitOutcome = { created: [], skipped: [], ignored: [] }
  for (const file of starterFiles(answers)) {
    if (await createExclusive(join(root, file.path), file.content)) outcome.created.push(file.path)
    else outcome.skipped.push(file.path)
  }
  outcome.ignored = await ensureIgnored(join(root, '.gitignore'))
  return outcome
}

/**
 * Creates `path` whole, or leaves an existing file alone: the text goes to a temporary file that
 * is hard-linked into place, which fails when the name exists (no check-then-write race, and never
 * half a file). Returns false when the file was already there.
 */
async function createExclusive(path: string, content: string): Promise<boolean> {
  if (existsSync(path)) return false
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temporary, content, { flag: 'wx' })
  try {
    await link(temporary, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await rm(temporary, { force: true })
  }
}

/** Adds the lines of IGNORED that `.gitignore` lacks (in any usual spelling); returns those added. */
async function ensureIgnored(path: string): Promise<string[]> {
  const text = existsSync(path) ? await readFile(path, 'utf8') : ''
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim().replace(/^\//, '').replace(/\/?\*?$/, '')))
  const missing = IGNORED.filter((entry) => !present.has(entry.replace(/\/$/, '')))
  if (missing.length === 0) return []
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  await writeFileAtomic(path, `${text}${separator}${text === '' ? '' : '\n'}# assay: the local response cache and the reports of each run\n${missing.join('\n')}\n`)
  return [...missing]
}
