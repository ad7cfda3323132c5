import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The CLI tests run the built binary: build it first, so they never test a stale dist/. */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url))
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { cwd: root, stdio: 'inherit' })
}
