import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { join } from 'pathe'
import { chromium, type Browser } from 'playwright-core'
import { repoRoot } from './cli.js'

/** Where a system Chromium usually is (Debian's package, Chrome, a snap). */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium']

/** Flags that keep the browser off the network and quiet, whichever build runs. */
const QUIET = ['--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * Headless Chromium for the HTML report tests: the system's when one is installed, otherwise the
 * build packed inside the `@sparticuz/chromium` dev dependency, so `npm install && npm test` needs
 * nothing from the system. `ASSAY_TEST_BROWSER=packed` forces the packed build (to check that
 * path on a machine that has a system Chromium); `=system` insists on the system one.
 */
export async function launchChromium(): Promise<Browser> {
  const wanted = process.env.ASSAY_TEST_BROWSER
  const system = wanted === 'packed' ? undefined : SYSTEM_CHROMIUM.find((path) => existsSync(path))
  if (system) return chromium.launch({ executablePath: system, args: ['--no-sandbox', '--disable-gpu', ...QUIET] })
  if (wanted === 'system') throw new Error(`ASSAY_TEST_BROWSER=system, but none of ${SYSTEM_CHROMIUM.join(', ')} exists.`)
  const packed = (await import('@sparticuz/chromium')).default
  packed.setGraphicsMode = false
  // Its flags, less --single-process: that one is for AWS Lambda's sandbox, and it takes the
  // whole browser down when a test closes its page's context.
  const args = packed.args.filter((arg) => arg !== '--single-process')
  return chromium.launch({ executablePath: await unpackedChromium(packed), args: [...args, ...QUIET], headless: true })
}

/**
 * Unpacks the packed build once per installed version, into node_modules/.cache. The package
 * unpacks into os.tmpdir() and trusts any `chromium` already there, which other checkouts and a
 * half-finished unpack would share; so each unpack goes to a fresh folder (TMPDIR pointed at it
 * for the call) that is renamed into place whole. Two test workers racing both finish, one rename
 * wins, and the other's copy is dropped.
 */
async function unpackedChromium(packed: { executablePath(input?: string): Promise<string> }): Promise<string> {
  const manifest = join(repoRoot, 'node_modules/@sparticuz/chromium/package.json')
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }
  const cache = join(repoRoot, 'node_modules/.cache/assay-chromium')
  const target = join(cache, version)
  if (existsSync(join(target, 'chromium'))) return join(target, 'chromium')
  await mkdir(cache, { recursive: true })
  const staging = await mkdtemp(join(cache, `${version}.unpacking-`))
  const tmpdir = process.env.TMPDIR
  process.env.TMPDIR = staging
  try {
    await packed.executablePath()
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = tmpdir
  }
  try {
    await rename(staging, target)
  } catch (error) {
    if (!existsSync(join(target, 'chromium'))) throw error
    await rm(staging, { recursive: true, force: true })
  }
  return join(target, 'chromium')
}
