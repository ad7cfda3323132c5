import { hash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'

/**
 * V8's code cache for the run command's code, which Node 20 has no way to keep for ES modules.
 * scripts/build.mjs turns the run command's chunk (about 0.7 MB) into a function expression in a
 * script of its own, run through here. The cache holds the bytecode of every function a run
 * compiled, so the next run skips both the parse of the chunk and the compile of each function it
 * calls on the way to its first model call (about 50 ms of start-up on this machine). It lives
 * with the package, which is as trusted as the code beside it: bytecode runs as it is, so it must
 * never come from a place anyone else can write.
 */
const CACHE_DIR = fileURLToPath(new URL('../.code-cache/', import.meta.url))
/** Bytes of the sha1 that heads the file: V8 checks a cache's source, version and flags, not its bytes. */
const DIGEST_BYTES = 20

/**
 * Runs the function expression in `script` with `args` and returns what it returns. The cache's
 * name holds a digest of the script: V8 checks only a cached script's length, and would run the
 * old code of an edited script of the same length.
 */
export function runScript(script: URL, args: readonly unknown[], cacheDir = CACHE_DIR): unknown {
  const file = fileURLToPath(script)
  const bytes = readFileSync(file)
  // Off the way Node's own compile cache is turned off.
  const cacheFile = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : join(cacheDir, `${basename(file)}-${hash('sha1', bytes).slice(0, 16)}-${process.version}-${process.arch}.bin`)
  const cachedData = cacheFile ? readCache(cacheFile) : undefined
  const compiled = new Script(bytes.toString('utf8'), { filename: file, cachedData })
  const body = compiled.runInThisContext() as (...args: readonly unknown[]) => unknown
  // Written once the process is done, so it holds every function the run compiled; only when
  // there was none to use (the first run after a build, a new Node, a cache V8 refused).
  if (cacheFile && (!cachedData || compiled.cachedDataRejected)) process.once('exit', () => writeCache(cacheFile, compiled))
  return body(...args)
}

/** The cache's bytes, or undefined when it is missing, unreadable or not what was written. */
export function readCache(file: string): Buffer | undefined {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return undefined
  }
  const data = bytes.subarray(DIGEST_BYTES)
  return bytes.length > DIGEST_BYTES && hash('sha1', data, 'buffer').equals(bytes.subarray(0, DIGEST_BYTES)) ? data : undefined
}

/**
 * Writes the script's code cache whole or not at all (temp file + rename), so runs that end
 * together each leave a complete file. A folder it cannot write (a read-only install) means no
 * cache: the next run compiles as it would without one.
 */
export function writeCache(file: string, script: Script): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    const data = script.createCachedData()
    mkdirSync(join(file, '..'), { recursive: true })
    writeFileSync(temp, Buffer.concat([hash('sha1', data, 'buffer'), data]))
    renameSync(temp, file)
  } catch {
    try {
      rmSync(temp, { force: true })
    } catch {
      // Nothing was written, or it cannot be removed either: the process is ending regardless.
    }
  }
}
