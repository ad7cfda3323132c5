import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { appendFile, mkdir } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { dirname, resolve } from 'pathe'
import { Redactor } from '../output/index.js'
import type { RunResults, TrendPoint } from '../results/types.js'
import { historyRecords, historyRecordSchema, type HistoryRecord, type RunContext } from './record.js'

/** Lines longer than this are not records assay wrote: they are skipped unread. */
const MAX_LINE = 16 * 1024
/** Runs of each eval (and variant) the report's trend shows, this run included. */
export const TREND_RUNS = 20

/** What a read found: the records that passed validation, and how many lines did not. */
export interface HistoryRead {
  records: HistoryRecord[]
  skipped: number
}

/**
 * The run history: an append-only JSONL file. Each record is appended with its own `appendFile`
 * (O_APPEND, one write of under 4 KiB), so two runs appending at once interleave whole lines,
 * never parts of them; every record carries its run id.
 */
export class HistoryStore {
  readonly path: string

  constructor(
    root: string,
    readonly file: string,
    /** Configured secrets never reach the file, whatever text a record carries. */
    private readonly redactor: Redactor = Redactor.none,
  ) {
    this.path = resolve(root, file)
  }

  async append(records: HistoryRecord[]): Promise<void> {
    if (records.length === 0) return
    await mkdir(dirname(this.path), { recursive: true })
    for (const entry of records) await appendFile(this.path, `${JSON.stringify(this.redactor.value(entry))}\n`, { flag: 'a' })
  }

  /**
   * Reads the file a line at a time, keeping what `keep` accepts; lines that are not valid records
   * (a torn line, another tool's, a hand edit) are counted, never trusted.
   */
  async read(keep: (entry: HistoryRecord) => boolean = () => true): Promise<HistoryRead> {
    const records: HistoryRecord[] = []
    let skipped = 0
    const stream = createReadStream(this.path, { encoding: 'utf8' })
    const lines = createInterface({ input: stream, crlfDelay: Infinity })
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue
        const parsed = line.length > MAX_LINE ? undefined : parseLine(line)
        if (!parsed) skipped++
        else if (keep(parsed)) records.push(parsed)
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    return { records, skipped }
  }
}

function parseLine(line: string): HistoryRecord | undefined {
  try {
    const parsed = historyRecordSchema.safeParse(JSON.parse(line))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * Appends the run's records and returns the results with each eval's pass-rate trend over its
 * last runs (this one included), for the HTML report.
 */
export async function recordRun(results: RunResults, store: HistoryStore, root: string): Promise<RunResults> {
  const context: RunContext = { run: randomUUID(), git: await gitState(root) }
  const records = historyRecords(results, context)
  const names = new Set(records.map((entry) => entry.eval))
  const { records: earlier } = await store.read((entry) => names.has(entry.eval))
  await store.append(records)
  const trends = new Map<string, TrendPoint[]>()
  for (const entry of [...earlier, ...records]) {
    const points = trends.get(entry.eval) ?? []
    points.push({ time: entry.time, run: entry.run, variant: entry.variant, template: entry.template, passRate: entry.passRate })
    trends.set(entry.eval, points)
  }
  return {
    ...results,
    evals: results.evals.map((result) => {
      const points = trends.get(result.name) ?? []
      const runs = [...new Set(points.map((point) => point.run))].slice(-TREND_RUNS)
      return { ...result, trend: points.filter((point) => runs.includes(point.run)) }
    }),
  }
}

/** The commit and whether the tree has uncommitted changes; null outside a git checkout. */
export async function gitState(root: string): Promise<HistoryRecord['git']> {
  const git = (args: string[]) =>
    new Promise<string | undefined>((done) => execFile('git', args, { cwd: root, timeout: 5000 }, (error, stdout) => done(error ? undefined : stdout)))
  const hash = (await git(['rev-parse', 'HEAD']))?.trim()
  if (!hash || !/^[0-9a-f]{40,64}$/.test(hash)) return null
  // Exit 1 means tracked files differ from the commit; nothing is read, however large the change.
  const dirty = await new Promise<boolean>((done) => execFile('git', ['diff', '--quiet', 'HEAD', '--'], { cwd: root, timeout: 5000 }, (error) => done(error?.code === 1)))
  return { commit: hash, dirty }
}
