import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { writeWorkspace } from '../bench/workspace.js'
import { readCache, writeCache } from '../src/code-cache.js'
import { normalize, spawnCli } from './helpers/cli.js'
import { createWorkspace } from './helpers/workspace.js'

// The built loader (test/global-setup.ts builds dist/), run in processes of their own: the cache
// is written when a process ends.
const loader = new URL('../dist/code-cache.js', import.meta.url).href

const SCRIPT = `(function (n, m) {"use strict";
  function gcd(a, b) { return b === 0 ? a : gcd(b, a % b) }
  const words = ['alpha', 'beta', 'gamma'].map((word) => word.toUpperCase())
  return words.join(',') + ':' + gcd(n, m)
})
`

interface Run {
  code: number
  stdout: string
  stderr: string
}

interface ScriptFolder {
  root: string
  cache: string
  /** The one cache file in `cache`. */
  cacheFile: () => string
  run: (env?: Record<string, string>, flags?: string[]) => Promise<Run>
}

/** `root`'s main.mjs in a Node of its own, with `cache` as its argument and only PATH (plus `env`) in its environment. */
const runMain = (root: string, cache: string, env: Record<string, string> = {}, flags: string[] = []) =>
  new Promise<Run>((resolve) =>
    execFile(process.execPath, [...flags, join(root, 'main.mjs'), cache], { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  )

/** A folder with a script and a module that runs it through the loader, caching in `cache`. */
async function scriptFolder(script = SCRIPT): Promise<ScriptFolder> {
  const { root } = await createWorkspace({
    'body.js': script,
    'main.mjs': `import { runScript } from ${JSON.stringify(loader)}\nconsole.log(runScript(new URL('./body.js', import.meta.url), [84, 36], process.argv[2]))\nprocess.exitCode = Number(process.env.EXIT_CODE ?? 0)\n`,
  })
  const cache = join(root, 'cache')
  const run = (env: Record<string, string> = {}, flags: string[] = []) => runMain(root, cache, env, flags)
  const cacheFile = () => {
    const files = readdirSync(cache)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^body\.js-[0-9a-f]{16}-/)
    return join(cache, files[0]!)
  }
  return { root, cache, cacheFile, run }
}

const EXPECTED = { code: 0, stdout: 'ALPHA,BETA,GAMMA:12\n', stderr: '' }

/** The file's identity: a rewrite replaces it (temp file + rename), so the inode changes. */
const identity = (file: string) => {
  const stat = statSync(file)
  return `${stat.ino}:${stat.mtimeMs}`
}

describe('the code cache of the run script', () => {
  it('is written when the process ends, and used by the next without being written again', async () => {
    const folder = await scriptFolder()
    expect(await folder.run()).toEqual(EXPECTED)
    expect(readCache(folder.cacheFile())?.length).toBeGreaterThan(0)
    const written = identity(folder.cacheFile())
    expect(await folder.run()).toEqual(EXPECTED)
    expect(await folder.run()).toEqual(EXPECTED)
    // V8 took it: a refused or missing cache is written anew.
    expect(identity(folder.cacheFile())).toBe(written)
  })

  it('is not written by a process that ends with exit code 2 (a mistake found before any work), but by the next that does not', async () => {
    const folder = await scriptFolder()
    expect(await folder.run({ EXIT_CODE: '2' })).toEqual({ ...EXPECTED, code: 2 })
    expect(existsSync(folder.cache) ? readdirSync(folder.cache) : []).toEqual([])
    expect(await folder.run({ EXIT_CODE: '1' })).toEqual({ ...EXPECTED, code: 1 })
    expect(readCache(folder.cacheFile())).toBeDefined()
  })

  it('ignores and replaces a cache that is not what was written, or that V8 refuses (another script\'s)', async () => {
    const folder = await scriptFolder()
    await folder.run()
    const file = folder.cacheFile()
    const good = readFileSync(file)
    // One byte of the bytecode changed, the length kept: V8's release builds do not checksum a
    // cache and may well take it, so the file's own digest has to refuse it.
    const flipped = Buffer.from(good)
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 1) ^ 1, flipped.length - 1)
    writeFileSync(file, flipped)
    expect(readCache(file)).toBeUndefined()
    writeFileSync(file, 'garbled bytes, not a cache')
    expect(await folder.run()).toEqual(EXPECTED)
    expect(readCache(file)?.length).toBeGreaterThan(0)

    // Another script's cache, whole, under this script's name: V8 refuses it.
    const other = await scriptFolder(SCRIPT.replace("'gamma'", "'gamma', 'delta'"))
    await other.run()
    writeFileSync(other.cacheFile(), good)
    const refused = identity(other.cacheFile())
    expect(await other.run()).toEqual({ ...EXPECTED, stdout: 'ALPHA,BETA,GAMMA,DELTA:12\n' })
    expect(identity(other.cacheFile())).not.toBe(refused)
    const rewritten = identity(other.cacheFile())
    await other.run()
    expect(identity(other.cacheFile())).toBe(rewritten)

    // The script edited in place, keeping its length, which V8 alone would not notice: the old
    // cache stays where it was, and the new text looks for its own.
    writeFileSync(join(folder.root, 'body.js'), SCRIPT.replace("'gamma'", "'delta'"))
    expect(await folder.run()).toEqual({ ...EXPECTED, stdout: 'ALPHA,BETA,DELTA:12\n' })
    expect(readdirSync(folder.cache)).toHaveLength(2)
    writeFileSync(join(folder.root, 'body.js'), SCRIPT)

    // Cut short: the digest no longer matches.
    writeFileSync(file, good.subarray(0, good.length - 100))
    const cut = identity(file)
    expect(await folder.run()).toEqual(EXPECTED)
    expect(identity(file)).not.toBe(cut)
    expect(readCache(file)?.length).toBeGreaterThan(0)
  })

  it('keeps a cache per set of Node flags, which V8 refuses a cache made under others for', async () => {
    const folder = await scriptFolder()
    const flags = ['--max-old-space-size=300']
    await folder.run()
    await folder.run({}, flags)
    const files = readdirSync(folder.cache).map((file) => join(folder.cache, file))
    expect(files).toHaveLength(2)
    const written = files.map(identity)
    // Taking turns, each run finds its own and writes nothing.
    for (const run of [[], flags, [], flags]) expect(await folder.run({}, run)).toEqual(EXPECTED)
    expect(files.map(identity)).toEqual(written)
  })

  it('runs as before, saying nothing, where no cache can be written (a read-only install)', async () => {
    const folder = await scriptFolder()
    // A file where the folder should be: not even root can create the cache under it.
    writeFileSync(folder.cache, '')
    expect(await folder.run()).toEqual(EXPECTED)
    expect(await folder.run()).toEqual(EXPECTED)
    expect(readdirSync(folder.root).sort()).toEqual(['body.js', 'cache', 'main.mjs'])
  })

  it('keeps the newest eight caches, and clears temp files a killed writer left', async () => {
    const folder = await scriptFolder()
    mkdirSync(folder.cache)
    const old = (name: string, minutes: number) => {
      writeFileSync(join(folder.cache, name), 'x')
      const at = new Date(Date.now() - minutes * 60_000)
      utimesSync(join(folder.cache, name), at, at)
    }
    for (let i = 1; i <= 10; i++) old(`other-${i}.bin`, i)
    old('killed.bin.123.tmp', 30)
    old('writing.bin.456.tmp', 1)
    expect(await folder.run()).toEqual(EXPECTED)
    const left = readdirSync(folder.cache).sort()
    // This run's cache and the seven newest others; the fresh temp file may be another run's write in progress.
    expect(left.filter((name) => name.startsWith('body.js-'))).toHaveLength(1)
    expect(left.filter((name) => name.startsWith('other-'))).toEqual(['other-1.bin', 'other-2.bin', 'other-3.bin', 'other-4.bin', 'other-5.bin', 'other-6.bin', 'other-7.bin'])
    expect(left.filter((name) => name.endsWith('.tmp'))).toEqual(['writing.bin.456.tmp'])
  })

  it('leaves one whole cache when runs without one end together', async () => {
    const folder = await scriptFolder()
    const runs = await Promise.all(Array.from({ length: 6 }, () => folder.run()))
    for (const run of runs) expect(run).toEqual(EXPECTED)
    const written = identity(folder.cacheFile())
    expect(await folder.run()).toEqual(EXPECTED)
    expect(identity(folder.cacheFile())).toBe(written)
  })

  it('writes a cache no one else can write, whatever the umask, and never through a planted link', async () => {
    const folder = await scriptFolder()
    // The umask a container or a service may run with: before, the cache came out rw-rw-rw-.
    await writeFile(join(folder.root, 'umask.cjs'), 'process.umask(0)\n')
    expect(await folder.run({}, ['-r', join(folder.root, 'umask.cjs')])).toEqual(EXPECTED)
    expect(statSync(folder.cache).mode & 0o777).toBe(0o755)
    expect(statSync(folder.cacheFile()).mode & 0o777).toBe(0o644)

    // A link at the temp name is not written through: the cache is then simply not written.
    const victim = join(folder.root, 'victim.txt')
    writeFileSync(victim, 'untouched')
    const file = join(folder.cache, 'planted.bin')
    symlinkSync(victim, `${file}.${process.pid}.tmp`)
    writeCache(file, new Script(SCRIPT))
    expect(readFileSync(victim, 'utf8')).toBe('untouched')
    expect(existsSync(file)).toBe(false)
  })

  it('reads no cache that someone else could have written, nor anything but a plain file of a cache\'s size', async () => {
    const folder = await scriptFolder()
    await folder.run()
    const file = folder.cacheFile()
    const good = readFileSync(file)
    const replaced = async (prepare: () => void) => {
      rmSync(file, { recursive: true, force: true })
      prepare()
      const before = existsSync(file) ? identity(file) : undefined
      expect(await folder.run()).toEqual(EXPECTED)
      // Refused, so written anew (or, where it could not be replaced, left as it was).
      return before === undefined || identity(file) !== before
    }
    // Writable by others: bytecode anyone could have put there.
    expect(await replaced(() => { writeFileSync(file, good); chmodSync(file, 0o666) })).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o644)
    // Another user's (root can give it away; others cannot run this part).
    if (process.geteuid?.() === 0) expect(await replaced(() => { writeFileSync(file, good); chownSync(file, 65534, 65534) })).toBe(true)
    // A FIFO: opening it to read blocked the run for good.
    await replaced(() => execFileSync('mkfifo', [file]))
    // A file far bigger than any cache (sparse: no disk used) is not read into memory.
    await replaced(() => { writeFileSync(file, good); truncateSync(file, 64 * 1024 * 1024) })
    expect(readCache(file)?.length).toBeGreaterThan(0)
    // Refused by its size alone: the same size, headed by its own digest, is not read either.
    const big = join(folder.root, 'big.bin')
    const zeros = Buffer.alloc(1024 * 1024)
    const digest = createHash('sha1')
    for (let i = 0; i < 64; i++) digest.update(i === 63 ? zeros.subarray(20) : zeros)
    writeFileSync(big, digest.digest())
    truncateSync(big, 64 * 1024 * 1024)
    // Its length, not the buffer: a failure must not print 64 MB.
    expect(readCache(big)?.length).toBeUndefined()
  })

  it('is off under NODE_DISABLE_COMPILE_CACHE, as Node\'s own compile cache is', async () => {
    const folder = await scriptFolder()
    expect(await folder.run({ NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(EXPECTED)
    expect(readdirSync(folder.root).sort()).toEqual(['body.js', 'main.mjs'])
  })

  it("compiles a required CommonJS file through the cache as Node would, and leaves Node's loader as it was", async () => {
    const { root } = await createWorkspace({
      // A stack frame on the first line, which the wrapper's head shares: its column is the file's.
      'lib.cjs': `const at = /lib\\.cjs:(\\d+:\\d+)/.exec(new Error().stack)[1]; const { twice } = require('./dep.cjs')
module.exports = { self: this === module.exports, file: __filename.endsWith('lib.cjs'), dir: __dirname === require('node:path').dirname(__filename), twice: twice(21), at }
`,
      'dep.cjs': 'exports.twice = (n) => n * 2\n',
      'main.mjs': `import Module, { createRequire } from 'node:module'
import { requireCached } from ${JSON.stringify(loader)}
const compile = Module.prototype._compile
const lib = requireCached(createRequire(import.meta.url), './lib.cjs', /lib\\.cjs$/, process.argv[2])
console.log(JSON.stringify({ ...lib, restored: Module.prototype._compile === compile }))
`,
    })
    const cache = join(root, 'cache')
    const run = () => runMain(root, cache)
    const expected = { code: 0, stdout: `${JSON.stringify({ self: true, file: true, dir: true, twice: 42, at: '1:38', restored: true })}\n`, stderr: '' }
    expect(await run()).toEqual(expected)
    // Only the file asked for: dep.cjs compiles as usual.
    const files = readdirSync(cache)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^lib\.cjs-[0-9a-f]{16}-/)
    const written = identity(join(cache, files[0]!))
    expect(await run()).toEqual(expected)
    expect(identity(join(cache, files[0]!))).toBe(written)
  })

  it('gives a run the same output with the cache as without', async () => {
    const workspace = await createWorkspace()
    writeWorkspace(workspace.root, { evals: 1, cases: 20 })
    const run = async (env: Record<string, string> = {}) => {
      const result = await spawnCli(['run'], { cwd: workspace.root, env })
      return { ...result, stdout: normalize(result.stdout, workspace.root) }
    }
    const without = await run({ NODE_DISABLE_COMPILE_CACHE: '1' })
    expect(without.code).toBe(0)
    // The first may write the cache (a fresh build), the second then runs from it.
    expect(await run()).toEqual(without)
    expect(await run()).toEqual(without)
    const cacheDir = fileURLToPath(new URL('../.code-cache/', import.meta.url))
    expect(readdirSync(cacheDir).some((file) => /^run-[\w-]+\.body\.js-/.test(file))).toBe(true)
    expect(readdirSync(cacheDir).some((file) => file.startsWith('jiti.cjs-'))).toBe(true)
  })
})
