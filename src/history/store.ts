import { randomUUID } from 'node:crypto'
import { appendFileSync, createReadStream, mkdirSync, statSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { dirname, resolve } from 'pathe'
import { gitState, type GitState } from '../git.js'
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
 * The run history: an append-only JSONL file. Each record is appended with its own `appendFileSync`
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

  /**
   * Synchronous: it runs once, after the last answer, with a line or two to write, where each
   * asynchronous call was a thread-pool round trip the end of the run waited for.
   */
  append(records: HistoryRecord[]): void {
    if (records.length === 0) return
    mkdirSync(dirname(this.path), { recursive: true })
    for (const entry of records) appendFileSync(this.path, `${JSON.stringify(this.redactor.value(entry))}\n`, { flag: 'a' })
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
 * What the end of a run needs from the history that does not depend on its results: git's state
 * and the trends read so far. Started while the model calls are in flight, so the end of the run
 * only appends (and reads again only when the file changed meanwhile).
 */
export interface HistoryPreparation {
  git: Promise<HistoryRecord['git']>
  /** Trends of the named evals as the file stood, and its size and mtime then; never rejects. */
  read: Promise<{ trends: Map<string, Trend>; size: number; mtimeMs: number } | undefined>
}

/** Starts reading the history for `evals` and asking git (`git`: the run's one lookup), for recordRun to finish. */
export function prepareHistory(store: HistoryStore, root: string, evals: readonly string[], git: () => Promise<GitState | null> = () => gitState(root)): HistoryPreparation {
  const read = async () => {
    const before = fileState(store.path)
    const trends = new Map(evals.map((name) => [name, new Trend()]))
    await readTrends(store, trends)
    const after = fileState(store.path)
    // Appended to while being read: the end of the run reads it again.
    return before.size === after.size && before.mtimeMs === after.mtimeMs ? { trends, ...after } : undefined
  }
  return { git: git().then(recorded), read: read().catch(() => undefined) }
}

/**
 * Appends the run's records and returns the results with each eval's pass-rate trend over its
 * last runs (this one included), for the HTML report. With a preparation, git's answer and the
 * trends read during the run are used when the file has not changed since.
 */
export async function recordRun(results: RunResults, store: HistoryStore, root: string, prepared?: HistoryPreparation): Promise<RunResults> {
  const context: RunContext = { run: randomUUID(), git: await (prepared?.git ?? gitState(root).then(recorded)) }
  const records = historyRecords(results, context)
  const early = await prepared?.read
  const now = early && fileState(store.path)
  let trends: Map<string, Trend>
  if (early && now && now.size === early.size && now.mtimeMs === early.mtimeMs && records.every((entry) => early.trends.has(entry.eval))) trends = early.trends
  else {
    trends = new Map(records.map((entry) => [entry.eval, new Trend()]))
    await readTrends(store, trends)
  }
  store.append(records)
  for (const entry of records) trends.get(entry.eval)!.add(entry)
  return { ...results, evals: results.evals.map((result) => ({ ...result, trend: trends.get(result.name)?.points() ?? [] })) }
}

/** The file grows by a few records a run: only each eval's last runs are kept while reading it. */
async function readTrends(store: HistoryStore, trends: Map<string, Trend>): Promise<void> {
  await store.read((entry) => {
    trends.get(entry.eval)?.add(entry)
    return false
  })
}

interface FileState {
  size: number
  mtimeMs: number
}

/** Size and mtime; a file not there yet is empty. Synchronous: one stat, where an asynchronous one was a thread-pool round trip to wait for. */
function fileState(path: string): FileState {
  const found = statSync(path, { throwIfNoEntry: false })
  return found ? { size: found.size, mtimeMs: found.mtimeMs } : { size: 0, mtimeMs: 0 }
}

/** One eval's pass rate over its last TREND_RUNS runs, a point per run and variant, in file order. */
export class Trend {
  private readonly runs: TrendPoint[][] = []

  add(entry: HistoryRecord): void {
    const point: TrendPoint = { time: entry.time, run: entry.run, variant: entry.variant, template: entry.template, passRate: entry.passRate }
    // A run's records are appended together; another run's may interleave with them, so look back.
    const same = this.runs.findLast((points) => points[0]!.run === entry.run)
    if (same) same.push(point)
    else this.runs.push([point])
    // Keep twice the window, so dropping the oldest run is rare work; trimmed to TREND_RUNS on read.
    if (this.runs.length > 2 * TREND_RUNS) this.runs.splice(0, this.runs.length - TREND_RUNS)
  }

  points(): TrendPoint[] {
    return this.runs.slice(-TREND_RUNS).flat()
  }
}

/** What a history record keeps of the git state: the full hash and whether the tree was dirty. */
const recorded = (state: GitState | null): HistoryRecord['git'] => state && { commit: state.commit, dirty: state.dirty }
