import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { writeFileStreamed, type ChunkWriter } from '../atomic-write.js'
import type { CaseResult, RunResults } from '../results/types.js'
import type { CaseText, CasesAhead } from './cases.js'
import type { EvalRef, Reporter, RunStart } from './types.js'

/**
 * A report file whose cases' text is rendered while calls are in flight (CaseSpool): the hooks that
 * feed its spool, and at the end the file written with `writeReport` (which copies the spool's text
 * where it can) and the spool closed, whether or not the writing failed.
 */
export class SpooledFileReporter implements Reporter {
  private readonly spool: CaseSpool

  constructor(
    private readonly file: string,
    text: CaseText,
    private readonly writeReport: (results: RunResults, write: ChunkWriter, spool: CaseSpool) => Promise<void>,
  ) {
    this.spool = new CaseSpool(text)
  }

  onRunStart(start: RunStart): void {
    this.spool.start(start.activity)
  }

  onCasesInOrder(evalRef: EvalRef, results: readonly CaseResult[]): void {
    this.spool.add(evalRef, results)
  }

  async onRunEnd(results: RunResults): Promise<void> {
    try {
      await writeFileStreamed(this.file, (write) => this.writeReport(results, write, this.spool))
    } finally {
      this.spool.close()
    }
  }
}

/** Text of one eval gathered to about this many characters (and bytes, when merged) before it goes to the spool file: the most the end reads back at once. */
const SEGMENT_CHARS = 64 * 1024

interface Spooled {
  file: string
  /** The cases spooled, in plan order: the leading cases of the eval's final list, or of nothing. */
  cases: CaseResult[]
  /** [offset, length] in bytes of each piece of this eval's text in the spool file, in order. */
  segments: number[]
}

/**
 * A file reporter's text for the cases that have ended, written ahead while model calls are in
 * flight (the process mostly waits on them then), so that after the last answer the report copies
 * it rather than serializing every case. Cases come in plan order (`Reporter.onCasesInOrder`), are
 * rendered on the event loop's next turn (not on the way to the next call) and go to a temporary
 * file, so memory holds pointers to cases the results keep anyway, not their text. The end uses
 * an eval's spooled text only where the eval's final cases begin with exactly those cases (a
 * rerun's kept cases, say, do not): the rest is rendered as without a spool. A replay, whose
 * calls never leave the process, spools nothing. The file is unlinked as soon as it is open, so a
 * killed run leaves nothing behind but for a kill between the open and the unlink, an empty file
 * (where the OS refuses the unlink, it is removed on close).
 */
export class CaseSpool implements CasesAhead {
  private activity: RunStart['activity'] | undefined
  private readonly evals = new Map<string, Spooled>()
  private pending: { evalRef: EvalRef; entry: CaseResult }[] = []
  private scheduled = false
  private fd: number | undefined
  private path: string | undefined
  private size = 0
  /** Spooling failed (a full temporary folder): the reports are written without it. */
  private broken = false
  /** A case came with no call in flight: no more are taken, so what is spooled stays a prefix of each eval's cases. */
  private stopped = false
  /** The run's reports are being written: nothing more is spooled. */
  private ended = false

  constructor(
    private readonly text: CaseText,
    /** Whether the text can be rendered yet (the HTML page's code loads after the run starts); until then cases wait. */
    private readonly ready: () => boolean = () => true,
  ) {}

  /** A new run (a watch run reuses the reporter): whatever the last one spooled is dropped. */
  start(activity: RunStart['activity']): void {
    this.close()
    this.activity = activity
    this.evals.clear()
    this.pending = []
    this.broken = false
    this.stopped = false
    this.ended = false
  }

  /** Cases that ended, each after every earlier case of its eval; spooled only while calls are in flight. */
  add(evalRef: EvalRef, entries: readonly CaseResult[]): void {
    if (this.stopped || this.ended || this.broken || !this.activity) return
    // Nothing in flight: the process is busy, not waiting (a replay), and the text would cost as much
    // now as at the end. It stops for good (cases already taken are still rendered), and a replay
    // pays one check a case.
    if (this.activity.callsInFlight() === 0) {
      this.stopped = true
      return
    }
    if (!this.evals.has(evalRef.name)) this.evals.set(evalRef.name, { file: evalRef.file, cases: [], segments: [] })
    for (const entry of entries) this.pending.push({ evalRef, entry })
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.spoolPending()
    })
  }

  /**
   * Writes the spooled text of `cases` (an eval's final cases) that leads them, and returns how many
   * cases that covered: 0 when the spool does not hold exactly their first ones.
   */
  async copy(evalRef: EvalRef, cases: readonly CaseResult[], write: ChunkWriter): Promise<number> {
    this.ended = true
    const spooled = this.evals.get(evalRef.name)
    if (this.broken || this.fd === undefined || !spooled || spooled.cases.length === 0 || spooled.file !== evalRef.file) return 0
    if (spooled.cases.length > cases.length || spooled.cases.some((entry, i) => entry !== cases[i])) return 0
    for (let i = 0; i < spooled.segments.length; i += 2) {
      const wait = write(this.read(spooled.segments[i]!, spooled.segments[i + 1]!))
      if (wait) await wait
    }
    return spooled.cases.length
  }

  /** After the reports: the file is closed (and removed, where it could not be unlinked while open). */
  close(): void {
    this.ended = true
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
    if (this.path !== undefined) unlinkSync(this.path)
    this.path = undefined
  }

  private spoolPending(): void {
    if (this.ended || this.broken || !this.ready()) return
    const pending = this.pending
    this.pending = []
    try {
      let texts: string[] = []
      let chars = 0
      let current: Spooled | undefined
      const flush = () => {
        if (!current || texts.length === 0) return
        this.append(current, texts.join(''))
        texts = []
        chars = 0
      }
      for (const { evalRef, entry } of pending) {
        const spooled = this.evals.get(evalRef.name)!
        if (spooled !== current || chars >= SEGMENT_CHARS) flush()
        current = spooled
        const text = this.text(entry, spooled.cases.length, evalRef)
        spooled.cases.push(entry)
        texts.push(text)
        chars += text.length
      }
      flush()
    } catch {
      this.broken = true
    }
  }

  /** Appends one piece of an eval's text to the file; merged with the eval's last piece when it follows it and both fit in one. */
  private append(spooled: Spooled, text: string): void {
    const fd = this.open()
    const bytes = Buffer.from(text)
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, this.size + at)
    const last = spooled.segments.length - 2
    if (last >= 0 && spooled.segments[last]! + spooled.segments[last + 1]! === this.size && spooled.segments[last + 1]! + bytes.length <= SEGMENT_CHARS) spooled.segments[last + 1]! += bytes.length
    else spooled.segments.push(this.size, bytes.length)
    this.size += bytes.length
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd
    const path = join(tmpdir(), `assay-spool-${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
    // Created, never opened if it exists: the temporary folder is shared.
    this.fd = openSync(path, 'wx+', 0o600)
    this.size = 0
    try {
      unlinkSync(path)
    } catch {
      this.path = path
    }
    return this.fd
  }

  private read(offset: number, length: number): string {
    const bytes = Buffer.allocUnsafe(length)
    for (let at = 0; at < length; ) {
      const got = readSync(this.fd!, bytes, at, length - at, offset + at)
      if (got === 0) throw new Error(`The report spool ended ${length - at} bytes early.`)
      at += got
    }
    return bytes.toString('utf8')
  }
}
