import { readBytesSync } from '../text-file.js'

/**
 * The most bytes a fixture file may hold. A recorded answer is at most `limits.answerBytes` (1 MB
 * by default) and a prompt rarely more; past this a file is not one assay wrote, and reading it
 * whole would only exhaust memory.
 */
export const MAX_FIXTURE_BYTES = 64 * 1024 * 1024

/** Why a fixture past the bound is refused, after FileTooLarge's "larger than 64 MiB". */
export const TOO_LARGE_FOR_A_FIXTURE = 'more than any recorded call'

/**
 * A fixture's or cache entry's text (UTF-8, as readFileSync decodes it), undefined when there is
 * no such file; a FileTooLarge past `max` bytes. See readBytesSync for `toEnd`.
 */
export function readTextSync(path: string, max: number = MAX_FIXTURE_BYTES, toEnd = false): string | undefined {
  return readBytesSync(path, max, toEnd)?.toString('utf8')
}
