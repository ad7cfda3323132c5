import { AssayError, type AssayErrorCode } from './errors.js'

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
