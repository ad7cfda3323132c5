import { closeSync, openSync, readSync } from 'node:fs'

/**
 * The most bytes a fixture file may hold. A recorded answer is at most `limits.answerBytes` (1 MB
 * by default) and a prompt rarely more; past this a file is not one assay wrote, and reading it
 * whole would only exhaust memory.
 */
export const MAX_FIXTURE_BYTES = 64 * 1024 * 1024

/** A file past the bound: nothing after its first `max` + 1 bytes was read. The message is the problem as a fixture error words it. */
export class FileTooLarge extends Error {
  constructor(readonly max: number) {
    super(`larger than ${max / (1024 * 1024)} MiB, more than any recorded call`)
  }
}

/** Most fixtures fit here: read into it, they cost one allocation (their text). */
const SMALL = 64 * 1024
let shared: Buffer | undefined

/**
 * A file's text (UTF-8, as readFileSync decodes it), undefined when there is no such file; a
 * FileTooLarge past `max` bytes. Opened, read into one reused buffer and closed: readFileSync also
 * reads however much the file holds. A read that leaves the buffer short is taken as the end of the
 * file, as it is for a regular file on a local disk, which spares every fixture a second read that
 * only confirms it; with `toEnd`, reads go on until one returns nothing (a network or FUSE file
 * system may return less than asked before the end), for a caller that found the text broken.
 */
export function readTextSync(path: string, max: number = MAX_FIXTURE_BYTES, toEnd = false): string | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    let buffer = (shared ??= Buffer.allocUnsafeSlow(SMALL))
    let length = 0
    for (;;) {
      if (length === buffer.length) {
        // One byte over the bound is enough to know the file is too large.
        if (length > max) throw new FileTooLarge(max)
        const larger = Buffer.allocUnsafeSlow(Math.min(buffer.length * 4, max + 1))
        buffer.copy(larger, 0, 0, length)
        buffer = larger
      }
      const asked = buffer.length - length
      const read = readSync(fd, buffer, length, asked, null)
      length += read
      if (read === 0 || (read < asked && !toEnd)) break
    }
    if (length > max) throw new FileTooLarge(max)
    return buffer.toString('utf8', 0, length)
  } finally {
    closeSync(fd)
  }
}
