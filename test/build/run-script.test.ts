import { isAscii } from 'node:buffer'
import { execFile } from 'node:child_process'
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { toScript } from '../../scripts/run-script.mjs'
import { createWorkspace } from '../helpers/workspace.js'

// The built loader (test/global-setup.ts builds dist/), beside which the stub expects to sit.
const loader = fileURLToPath(new URL('../../dist/code-cache.js', import.meta.url))
const run = promisify(execFile)
const noDependency = (name: string): string => {
  throw new Error(`no chunk ${name}`)
}

/**
 * The chunk as the build would leave it (stub + script in a folder with the loader), imported by
 * `probe` (a module body that sees the stub's exports as `m` and prints JSON) in a Node of its own.
 */
async function load(chunk: string, dependencies: Record<string, string>, probe: string): Promise<unknown> {
  // In dist/ of a package folder of its own: the loader keeps its cache in the folder above.
  const { root } = await createWorkspace({ 'dist/.keep': '' })
  const dist = join(root, 'dist')
  copyFileSync(loader, join(dist, 'code-cache.js'))
  copyFileSync(`${loader}.map`, join(dist, 'code-cache.js.map'))
  for (const [name, text] of Object.entries(dependencies)) writeFileSync(join(dist, name), text)
  const { script, body, stub } = toScript(chunk, 'run-test.js', (name) => dependencies[name] ?? noDependency(name))
  writeFileSync(join(dist, script), body)
  writeFileSync(join(dist, 'run-test.js'), stub)
  writeFileSync(join(root, 'probe.mjs'), `import * as m from ${JSON.stringify(pathToFileURL(join(dist, 'run-test.js')).href)}\n${probe}\n`)
  const { stdout } = await run(process.execPath, [join(root, 'probe.mjs')])
  expect(readdirSync(join(root, '.code-cache'))).toEqual([expect.stringMatching(/^run-test\.body\.js-/)])
  return JSON.parse(stdout)
}

describe('the run chunk as a script (scripts/run-script.mjs)', () => {
  it('keeps the chunk\'s imports, exports (any name, default included), import.meta and import() working', async () => {
    const chunk = `import { t as helper } from "./dep-a.js";
import * as path from "node:path";
const base = path.basename(import.meta.url);
function twice(n) { return helper(n) * 2 }
const lazy = () => import("./dep-a.js").then((m) => m.t(5));
export { twice as "in", base as default, lazy as t };
`
    const probe = 'console.log(JSON.stringify({ twice: m.in(2), base: m.default, lazy: await m.t(), names: Object.keys(m).sort() }))'
    // import.meta is the stub's: the chunk's own file name.
    expect(await load(chunk, { 'dep-a.js': 'const t = (n) => n + 1;\nexport { t };\n' }, probe)).toEqual({ twice: 6, base: 'run-test.js', lazy: 6, names: ['default', 'in', 't'] })
  })

  it("keeps every line where the chunk's source map has it, an import or export written over several lines included", async () => {
    const chunk = [
      'import {',
      '  t as helper',
      '} from "./dep-a.js";',
      'function where() { return Number(/run-test\\.body\\.js:(\\d+):/.exec(new Error().stack)[1]) }',
      'export {',
      '  where,',
      '  helper',
      '};',
      '',
    ].join('\n')
    const probe = 'console.log(JSON.stringify({ line: m.where(), helper: m.helper(1) }))'
    expect(await load(chunk, { 'dep-a.js': 'const t = (n) => n + 1;\nexport { t };\n' }, probe)).toEqual({ line: 4, helper: 2 })
  })

  it('writes the script in ASCII, each other character of a comment, string, regex or template as an escape of the same value', async () => {
    // Non-ASCII before the first import too: the edits' offsets must count as the text does.
    const chunk = `// caf\u00e9 \u2014 a comment
import * as path from "node:path";
const word = "na\u00efve \u2603 \ud83d\ude00";
const match = /^gr\u00f6\u00dfe+$/u.test("gr\u00f6\u00dfee");
const sized = \`\u00bd \${path.posix.sep}\`;
export { word, match, sized };
`
    expect(isAscii(Buffer.from(chunk))).toBe(false)
    expect(isAscii(Buffer.from(toScript(chunk, 'run-test.js', noDependency).body))).toBe(true)
    const probe = 'console.log(JSON.stringify({ word: m.word, match: m.match, sized: m.sized }))'
    expect(await load(chunk, {}, probe)).toEqual({ word: 'na\u00efve \u2603 \ud83d\ude00', match: true, sized: '\u00bd /' })
  })

  it('fails the build on what the stub could not carry, naming it', () => {
    const cases: [string, RegExp][] = [
      ['let count = 0;\nfunction bump() { [count] = [count + 1] }\nexport { count as c, bump as b };\n', /count is exported and assigned after its declaration/],
      ['var item;\nfor (item of [1, 2]) ;\nexport { item as i };\n', /item is exported and assigned/],
      ['let { a } = { a: 1 };\nconst set = () => { ({ a } = { a: 2 }) };\nexport { a, set };\n', /a is exported and assigned/],
      ['const value = await Promise.resolve(1);\nexport { value as v };\n', /top-level await cannot go into a function/],
      ['for await (const x of []) ;\nconst v = 1;\nexport { v };\n', /top-level await/],
      ['const __meta = 1;\nexport { __meta as m };\n', /uses the name __meta, which the run script's wrapper takes/],
      ['export const direct = 1;\n', /ExportNamedDeclaration cannot be carried/],
      ['const v = 1;\n', /exports nothing/],
      // Where a \u escape would change the code: an identifier, a tagged template's raw text, an escaped character.
      ['const caf\u00e9 = 1;\nexport { caf\u00e9 as c };\n', /non-ASCII character at 9 cannot be escaped/],
      ['const raw = String.raw`\u00e9`;\nexport { raw };\n', /non-ASCII character at 23 cannot be escaped/],
      ['const s = "\\\u00e9";\nexport { s };\n', /non-ASCII character at 12 cannot be escaped/],
    ]
    for (const [chunk, error] of cases) expect(() => toScript(chunk, 'run-test.js', noDependency), chunk).toThrow(error)
    // An await inside a function is not top-level; an inner variable assigned is counted by name (never too few).
    expect(() => toScript('const f = async () => await 1;\nexport { f };\n', 'run-test.js', noDependency)).not.toThrow()
  })

  it('fails the build when a chunk it imports changes an export later, or imports it back', () => {
    const chunk = 'import { n } from "./dep.js";\nconst v = () => n;\nexport { v };\n'
    expect(() => toScript(chunk, 'run-test.js', () => 'let n = 1;\nexport function bump() { n++ }\nexport { n };\n')).toThrow(/dep\.js: n is exported and assigned after its declaration/)
    expect(() => toScript(chunk, 'run-test.js', () => 'import { v } from "./run-test.js";\nconst n = 1;\nexport { n };\n')).toThrow(/imports run-test\.js: an import cycle/)
  })
})
