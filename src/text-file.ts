import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { AssayError, type AssayErrorCode } from './errors.js'

/** A file past the bound: nothing after its first `max` + 1 bytes was read. */
export class FileTooLarge extends Error {
  constructor(readonly max: number) {
    super(`larger than ${max / (1024 * 1024)} MiB`)
  }
}

/** Most data files (a fixture, a small cases file) fit here: read into it, they cost no allocation but their text. */
const SMALL = 64 * 1024
let shared: Buffer | undefined

/**
 * A file's bytes, undefined when there is no such file; a FileTooLarge past `max` bytes: the one
 * bounded read of data files (fixtures, cache entries, cases files). Opened, read into one reused
 * buffer and closed: readFileSync reads however much the file holds. The bytes are a view of that
 * buffer, valid until the next call: decode them at once. A file that outgrows the small buffer is
 * measured once (fstat), so one that says it is past the bound is refused before more is read, and
 * the rest is read into a buffer of the size it states; one that grows while read (or a pipe, whose
 * size says nothing) grows the buffer fourfold at a time, and is refused one byte past the bound.
 * A read that leaves the buffer short is taken as the end of the file, as it is for a regular file
 * on a local disk, which spares every fixture a second read that only confirms it; with `toEnd`,
 * reads go on until one returns nothing (a network or FUSE file system may return less than asked
 * before the end), for a caller that found the text broken or reads a file once.
 */
export function readBytesSync(path: string, max: number, toEnd = false): Buffer | undefined {
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
        const stated = buffer === shared ? fstatSync(fd).size : -1
        if (stated > max) throw new FileTooLarge(max)
        // Sized to what the file says it holds (one byte more, so the read that ends it comes back
        // short): one allocation and one copy, not one per fourfold growth up to its size.
        const larger = Buffer.allocUnsafeSlow(Math.min(stated >= length ? stated + 1 : buffer.length * 4, max + 1))
        buffer.copy(larger, 0, 0, length)
        buffer = larger
      }
      const asked = buffer.length - length
      const read = readSync(fd, buffer, length, asked, null)
      length += read
      if (read === 0 || (read < asked && !toEnd)) break
    }
    if (length > max) throw new FileTooLarge(max)
    return buffer.subarray(0, length)
  } finally {
    closeSync(fd)
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * A data file's bytes as text: UTF-8 only, one leading byte-order mark dropped whatever the format
 * (.json, .jsonl, .yaml alike). Bytes that are not UTF-8 (a Latin-1 or Windows-1252 export) are a
 * clear error naming the line, never silent U+FFFD replacement characters in a prompt.
 */
export function decodeText(bytes: Uint8Array, file: string, code: AssayErrorCode): string {
  try {
    return utf8.decode(bytes)
  } catch {
    const line = firstInvalidLine(bytes)
    throw new AssayError(code, `The file is not UTF-8 text (first bad byte on line ${line}); it may be Latin-1 or Windows-1252.`, {
      file,
      line,
      fix: `Save it as UTF-8 (e.g. iconv -f latin1 -t utf-8 ${file} > fixed && mv fixed ${file}).`,
    })
  }
}

function firstInvalidLine(bytes: Uint8Array): number {
  let line = 1
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        utf8.decode(bytes.subarray(start, i))
      } catch {
        return line
      }
      line++
      start = i + 1
    }
  }
  return line
}
