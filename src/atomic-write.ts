import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'pathe'

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

/** A file written piece by piece through a temporary file, renamed into place on commit. */
export interface AtomicStream {
  write(chunk: string): Promise<void>
  commit(): Promise<void>
  abort(): Promise<void>
}

/** Pieces are gathered to about this many characters before they go to the stream. */
const BATCH_CHARS = 64 * 1024

/**
 * For reports too big to build as one string: the memory is one batch, not the whole file.
 * Reporters write a line per case; batching them spares the stream (and the disk) a write each.
 */
export async function openAtomic(path: string): Promise<AtomicStream> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const stream = createWriteStream(temporary)
  const failed = new Promise<never>((_, reject) => stream.once('error', reject))
  failed.catch(() => undefined)
  let batch: string[] = []
  let batched = 0
  const flush = async () => {
    if (batch.length === 0) return
    const text = batch.join('')
    batch = []
    batched = 0
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), failed])
  }
  return {
    async write(chunk) {
      batch.push(chunk)
      batched += chunk.length
      if (batched >= BATCH_CHARS) await flush()
    },
    async commit() {
      await flush()
      await Promise.race([new Promise<void>((resolve) => stream.end(resolve)), failed])
      await rename(temporary, path)
    },
    async abort() {
      stream.destroy()
      await rm(temporary, { force: true })
    },
  }
}

/** Streams `produce`'s chunks into `path` atomically: the whole new file, or the old one untouched. */
export async function writeFileStreamed(path: string, produce: (write: (chunk: string) => Promise<void>) => Promise<void>): Promise<void> {
  const out = await openAtomic(path)
  try {
    await produce((chunk) => out.write(chunk))
    await out.commit()
  } catch (error) {
    await out.abort()
    throw error
  }
}
