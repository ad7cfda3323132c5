import { hash } from 'node:crypto'
import { closeSync, constants as fs, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, type Stats, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { constants, Script } from 'node:vm'

/**
 * V8's code cache for the code every run loads, which Node 20 has no way to keep for ES modules.
 * scripts/build.mjs turns the run command's chunk (about 0.7 MB) into a function expression in a
 * script of its own, run through here; jiti's CommonJS bundle (190 KB) is compiled through here
 * as it is required. The cache holds the bytecode of every function a run compiled, so the next
 * run skips both the parse and the compile of each function it calls on the way to its first
 * model call (about 50 ms of start-up on this machine). It lives with the package, which is as
 * trusted as the code beside it: bytecode runs as it is, so it must never come from a place
 * anyone else can write.
 */
const CACHE_DIR = fileURLToPath(new URL('../.code-cache/', import.meta.url))
/**
 * Caches kept, the newest: one per script and set of Node flags is the rule, but flags that
 * change every run (a debugger's --inspect port, a preload in a temp folder) would add one each.
 */
const MAX_CACHES = 8
/** A temp file this old was left by a process killed while writing. */
const STALE_TEMP_MS = 10 * 60_000
/** Bytes of the sha1 that heads the file: V8 checks a cache's source, version and flags, not its bytes. */
const DIGEST_BYTES = 20
/** Far more than V8 makes of the run script (~0.8 MB) or jiti (~0.15 MB): a bigger file is not a cache. */
const MAX_CACHE_BYTES = 32 * 1024 * 1024

/** Runs the function expression in `script` with `args` and returns what it returns. */
export function runScript(script: URL, args: readonly unknown[], cacheDir = CACHE_DIR): unknown {
  const file = fileURLToPath(script)
  // The digest of the bytes: ~0.5 ms, where the (ASCII) text took 1.1-4.3 (5 runs each).
  const bytes = readFileSync(file)
  const body = compile(file, bytes.toString('utf8'), hash('sha1', bytes), cacheDir).runInThisContext() as (...args: readonly unknown[]) => unknown
  return body(...args)
}

/** The length of what Module.wrap puts before a CommonJS file's text, on its first line. */
const WRAPPER_HEAD = Module.wrap('').indexOf('\n')

type Compile = (this: NodeJS.Module, content: string, filename: string, ...rest: unknown[]) => unknown

/**
 * `require(id)`, with the CommonJS files whose path matches `files` compiled through the code
 * cache as Node would compile them (the same wrapper, `this`, require). Node's loader is as it
 * was once the call returns. An `import()` in such a file would work, but with Node's
 * experimental warning on stderr: jiti's bundle (2.x) makes none.
 */
export function requireCached(require: NodeJS.Require, id: string, files: RegExp, cacheDir = CACHE_DIR): unknown {
  const prototype = Module.prototype as unknown as { _compile: Compile }
  const original = prototype._compile
  prototype._compile = function (content, filename, ...rest) {
    if (!files.test(filename)) return original.call(this, content, filename, ...rest)
    const source = Module.wrap(content)
    // The wrapper's head shares the file's first line: columns there are told as the file has them.
    const wrapper = compile(filename, source, hash('sha1', source), cacheDir, -WRAPPER_HEAD).runInThisContext() as (...args: unknown[]) => unknown
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename))
  }
  try {
    return require(id)
  } finally {
    prototype._compile = original
  }
}

/**
 * `source` compiled as `file`, from the cache when there is a usable one; if not, the cache is
 * written when the process ends (unless with exit code 2), so it holds every function the run
 * compiled (the first run after a build, a new Node, a cache V8 refused). The cache's name holds
 * `digest`, the source's (V8 checks only a cached script's length, and would run the old code of
 * an edited script of the same length), and Node's flags: V8 refuses a cache made under other
 * flags, so runs that take turns with and without, say, --max-old-space-size would each write it
 * anew for the other.
 */
function compile(file: string, source: string, digest: string, cacheDir: string, columnOffset = 0): Script {
  // Off the way Node's own compile cache is turned off.
  const cacheFile = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : join(cacheDir, cacheName(file, digest))
  const cachedData = cacheFile ? readCache(cacheFile) : undefined
  const script = new Script(source, { filename: file, columnOffset, cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER })
  // Not after a mistake found before any work (exit code 2, a bad config, say): that process
  // compiled a fraction of what a run does, and the cache it left would stay that fraction.
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once('exit', (code) => code !== 2 && writeCache(cacheFile, script))
  return script
}

function cacheName(file: string, digest: string): string {
  const variant = hash('sha1', [digest, ...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0'))
  return `${basename(file)}-${variant.slice(0, 16)}-${process.version}-${process.arch}.bin`
}

/**
 * The cache's bytes, or undefined when it is missing, unreadable or not what was written. V8 runs
 * the bytecode it holds as it is, checking only the length of the script it was made for, so a file
 * anyone but the package's owner or this user could have written is not read either; nor anything
 * but a plain file of a cache's size (a FIFO would block the open, /dev/zero never end).
 */
export function readCache(file: string): Buffer | undefined {
  let fd: number
  try {
    fd = openSync(file, fs.O_RDONLY | (fs.O_NOFOLLOW ?? 0) | (fs.O_NONBLOCK ?? 0))
  } catch {
    return undefined
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile() || stat.size <= DIGEST_BYTES || stat.size > MAX_CACHE_BYTES || !trusted(stat, file)) return undefined
    const bytes = Buffer.alloc(stat.size)
    if (readSync(fd, bytes, 0, bytes.length, 0) !== bytes.length) return undefined
    const data = bytes.subarray(DIGEST_BYTES)
    return hash('sha1', data, 'buffer').equals(bytes.subarray(0, DIGEST_BYTES)) ? data : undefined
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** Written by this user or by the owner of the package folder, and writable by no one else. */
function trusted(stat: Stats, file: string): boolean {
  // Windows has no such mode bits (every writable file reads as 0o666).
  if (process.platform === 'win32') return true
  if ((stat.mode & 0o022) !== 0) return false
  return stat.uid === process.geteuid?.() || stat.uid === statSync(join(file, '..', '..')).uid
}

/**
 * Writes the script's code cache whole or not at all (temp file + rename), so runs that end
 * together each leave a complete file. A folder it cannot write (a read-only install) means no
 * cache, and no bytecode serialised for nothing: the next run compiles as it would without one.
 */
export function writeCache(file: string, script: Script): void {
  const temp = `${file}.${process.pid}.tmp`
  let fd: number
  try {
    // Modes of its own, not the default 0o666 a umask of 0 leaves writable by all (a umask only narrows
    // them): a cache others can write is code they can run as this user.
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o755 })
    // 'wx': never through a file or a link someone put at the temp name.
    fd = openSync(temp, 'wx', 0o644)
  } catch {
    return
  }
  try {
    try {
      const data = script.createCachedData()
      writeFileSync(fd, Buffer.concat([hash('sha1', data, 'buffer'), data]))
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
    prune(join(file, '..'))
  } catch {
    try {
      rmSync(temp, { force: true })
    } catch {
      // It cannot be removed either: the process is ending regardless.
    }
  }
}

/** Removes all but the newest MAX_CACHES caches, and temp files left by killed writers. */
function prune(dir: string): void {
  const now = Date.now()
  const files = readdirSync(dir).map((name) => ({ name, path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
  const caches = files.filter((file) => file.name.endsWith('.bin')).sort((a, b) => b.mtime - a.mtime)
  const stale = files.filter((file) => file.name.endsWith('.tmp') && now - file.mtime > STALE_TEMP_MS)
  for (const file of [...caches.slice(MAX_CACHES), ...stale]) rmSync(file.path, { force: true })
}
