import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'pathe'
import { pacer } from './pace.js'

/**
 * Writes through a temporary file in the same folder and renames it into place, so a reader (or a
 * run killed mid-write) sees the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temporary, data)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/**
 * Takes the next piece of a file. It returns a promise only when the writer should wait (to step
 * aside for the event loop), and a reporter awaits only that: it writes a line per case, and an
 * async write per line (a promise, and the await suspending the reporter each time, four reporters
 * taking turns line by line) was about a quarter of the time the four reports of a 2,000-case
 * replay took (in-process marks from the pool's end to the reports written, 11 alternating runs:
 * 76 -> 66 ms wall without the promise, then 73 -> 60 ms without the await).
 */
export type ChunkWriter = (chunk: string) => Promise<void> | undefined

/** A file written piece by piece through a temporary file, renamed into place on commit. */
interface AtomicStream {
  write: ChunkWriter
  commit(): void
  abort(): void
}

/** Pieces are gathered to about this many characters before they go to the file. */
const BATCH_CHARS = 64 * 1024

/**
 * For reports too big to build as one string: the memory is one batch, not the whole file.
 * Reporters write a line per case; batching them spares the disk a write each. A batch is written
 * synchronously: to the page cache that is a fraction of what a write stream costs (a Buffer per
 * batch, a thread-pool round trip and a drain to wait for), measured 15 ms of CPU against 8 for a
 * 2,000-case run's reports. Writers step aside every YIELD_EVERY_MS (pace.ts), so Ctrl-C and timers
 * still get their turn while a large run's reports are written. The folder is made and the file
 * renamed synchronously too: reports are written after the last answer, where each asynchronous
 * call was a thread-pool round trip to wait for (5 ms for the first report's folder, on the
 * loaded machine).
 */
function openAtomic(path: string): AtomicStream {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = openSync(temporary, 'w')
  let open = true
  let batch: string[] = []
  let batched = 0
  const flush = () => {
    if (batch.length === 0) return
    const text = batch.length === 1 ? batch[0]! : batch.join('')
    batch = []
    batched = 0
    writeText(fd, text)
  }
  const close = () => {
    if (!open) return
    open = false
    closeSync(fd)
  }
  return {
    write: (chunk) => {
      batch.push(chunk)
      batched += chunk.length
      if (batched < BATCH_CHARS) return undefined
      flush()
      return stepAside()
    },
    commit() {
      flush()
      close()
      renameSync(temporary, path)
    },
    abort() {
      try {
        close()
      } finally {
        rmSync(temporary, { force: true })
      }
    },
  }
}

/** All of `text`, as UTF-8: a write to a file may take fewer bytes than it was given (a full disk raises instead). */
function writeText(fd: number, text: string): void {
  const written = writeSync(fd, text)
  const length = Buffer.byteLength(text)
  if (written === length) return
  const bytes = Buffer.from(text)
  for (let at = written; at < length; ) at += writeSync(fd, bytes, at)
}

/** One pause shared by every writer, so reports written side by side do not resume back to back. */
const stepAside = pacer()

/** Streams `produce`'s chunks into `path` atomically: the whole new file, or the old one untouched. */
export async function writeFileStreamed(path: string, produce: (write: ChunkWriter) => Promise<void>): Promise<void> {
  const out = openAtomic(path)
  try {
    await produce(out.write)
    out.commit()
  } catch (error) {
    out.abort()
    throw error
  }
}
