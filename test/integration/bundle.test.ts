import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The built dist/ (test/global-setup.ts builds it before the tests): what each command loads
// before it does anything is a start-up cost, and scripts/build.mjs decides it.
const dist = fileURLToPath(new URL('../../dist/', import.meta.url))
const source = (file: string) => readFileSync(`${dist}${file}`, 'utf8')

/** Files a module loads before it runs: its static imports of dist/ chunks, transitively. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, imported] of source(file).matchAll(/^import (?:.* from )?"\.\/([^"]+)";$/gm)) visit(imported!)
  }
  visit(entry)
  return seen
}

/** The chunk a command's handler imports when the command is chosen. */
function commandChunk(command: string): string {
  const found = new RegExp(`^\\t"?${command}"?: async .*?import\\("\\./([^"]+)"\\)`, 'm').exec(source('cli.js'))
  if (!found) throw new Error(`cli.js has no lazy import for the ${command} command: update this test with scripts/build.mjs`)
  return found[1]!
}

describe('the bundle', () => {
  it('loads the run command in a handful of files, none of them before a command is chosen', () => {
    const cli = staticGraph('cli.js')
    const run = staticGraph(commandChunk('run'))
    // `assay --version` and the parse of every command load none of the run command's own chunk.
    expect(cli.has(commandChunk('run'))).toBe(false)
    // One chunk holds what only `run` needs (scripts/build.mjs): about 30 files before it.
    expect(new Set([...cli, ...run]).size).toBeLessThanOrEqual(12)
  })
})
