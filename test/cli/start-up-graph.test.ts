import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'
import { relative, resolve } from 'pathe'
import { describe, expect, it } from 'vitest'

// What each start-up loads, read from the built dist/ (test/global-setup.ts builds it): the files
// a chunk imports statically are loaded and compiled before any of its code runs, so what must
// wait for first use has to stay out of them.
const root = fileURLToPath(new URL('../..', import.meta.url))
const dist = resolve(root, 'dist')
const read = (file: string) => readFileSync(resolve(dist, file), 'utf8')

/** The file and everything it imports statically, transitively. */
function staticFiles(...starts: string[]): Set<string> {
  const files = new Set<string>()
  const visit = (file: string): void => {
    if (files.has(file)) return
    files.add(file)
    for (const [, imported] of read(file).matchAll(/^import\s+(?:[^'"]*?\bfrom\s+)?["']\.\/([^"']+)["']/gm)) visit(imported!)
  }
  for (const start of starts) visit(start)
  return files
}

/** The modules bundled into the files, from their source maps, relative to the repository. */
function modulesIn(files: Iterable<string>): Set<string> {
  const modules = new Set<string>()
  for (const file of files) {
    // rolldown's runtime helpers have no source of their own, and no map.
    if (!existsSync(resolve(dist, `${file}.map`))) continue
    const map = JSON.parse(read(`${file}.map`)) as { sources: string[] }
    for (const source of map.sources) modules.add(relative(root, resolve(dist, source)))
  }
  return modules
}

const runCommandFile = /\brun: async [^\n]*?import\("\.\/([^"]+)"\)/.exec(read('cli.js'))?.[1]
// `assay run` before its first call: the CLI, the run command, and the API the eval files import as 'assay'.
const runStartUp = staticFiles('cli.js', runCommandFile ?? 'missing', 'index.js')
const allModules = modulesIn(readdirSync(dist).filter((file) => file.endsWith('.js')))

/** Fails when a path names no module of the build, so a rename cannot make an exclusion pass unseen. */
function expectBuilt(modules: string[]): void {
  for (const module of modules) expect(allModules, `${module} is in no dist/ file: renamed?`).toContain(module)
}

describe('the start-up graph of the built CLI', () => {
  it('finds the run command and the eval files\' API in the build', () => {
    expect(runCommandFile && existsSync(resolve(dist, runCommandFile))).toBeTruthy()
    const modules = modulesIn(runStartUp)
    for (const module of ['src/cli/run.ts', 'src/runner/run.ts', 'src/runner/plan.ts', 'src/assertions/index.ts', 'src/assertions/registry.ts']) expect(modules).toContain(module)
  })

  it('leaves out the code of assertion kinds until a run evaluates one', () => {
    const lazy = ['src/assertions/judge-verdict.ts', 'src/assertions/similarity.ts', 'src/assertions/quality-score.ts', 'src/assertions/tool-call-match.ts', 'node_modules/fastest-levenshtein/mod.js']
    expectBuilt(lazy)
    const modules = modulesIn(runStartUp)
    for (const module of lazy) expect(modules).not.toContain(module)
    // Their constructors and labels are there: eval files build assertions while they load.
    for (const module of ['src/assertions/judge.ts', 'src/assertions/similar.ts', 'src/assertions/quality.ts', 'src/assertions/tool-calls.ts']) expect(modules).toContain(module)
  })

  it('leaves out what only some runs use: model clients, the HTML page, history, baselines, reruns, sequential testing', () => {
    const lazy = [
      'src/providers/ollama.ts',
      'src/providers/openai.ts',
      'src/report/html/page.ts',
      'src/history/store.ts',
      'src/baselines/store.ts',
      'src/results/read.ts',
      'src/runner/sequential.ts',
    ]
    expectBuilt(lazy)
    const modules = modulesIn(runStartUp)
    for (const module of lazy) expect(modules).not.toContain(module)
    // eld (the language detector) stays a package import, made on the first language check.
    for (const file of runStartUp) expect(read(file)).not.toMatch(/^import\s[^\n]*["']eld/m)
  })

  it('holds only the simple-statistics functions src/stats uses, not the tables its bundle builds at load', () => {
    const statistics = [...modulesIn(runStartUp)].filter((module) => module.startsWith('node_modules/simple-statistics/'))
    expect(statistics).toContain('node_modules/simple-statistics/src/gammaln.js')
    expect(statistics.filter((module) => !module.startsWith('node_modules/simple-statistics/src/'))).toEqual([])
    expect(statistics).not.toContain('node_modules/simple-statistics/src/standard_normal_table.js')
  })

  it("takes handlebars' main file, without lib/index.js (a printer, and require() hooks for .hbs files)", () => {
    const modules = modulesIn(runStartUp)
    expect(modules).toContain('node_modules/handlebars/dist/cjs/handlebars.js')
    expect(modules).not.toContain('node_modules/handlebars/lib/index.js')
    expect(modules).not.toContain('node_modules/handlebars/dist/cjs/handlebars/compiler/printer.js')
  })

  it('loads the run command in a handful of files, none of them before a command is chosen', () => {
    const cli = staticFiles('cli.js')
    // `assay --version` and the parse of every command load none of the run command's own chunk.
    expect(cli.has(runCommandFile!)).toBe(false)
    // One chunk holds what only `run` needs (scripts/build.mjs): each file is a resolve, a read, a
    // compile and a link. The 13th is code-cache.js, which runs that chunk's script.
    expect(new Set([...cli, ...staticFiles(runCommandFile!)]).size).toBeLessThanOrEqual(13)
  })

  it("runs the run command's code as a script through the code cache, its modules mapped as before", () => {
    const stub = read(runCommandFile!)
    const script = runCommandFile!.replace(/\.js$/, '.body.js')
    // The chunk's module only imports, runs the script and exports what it returns.
    expect(stub).toContain('import { runScript } from "./code-cache.js";')
    expect(stub).toContain(`runScript(new URL("./${script}", import.meta.url)`)
    expect(stub.split('\n').length).toBeLessThan(40)
    // The script is one function expression, with no module syntax left in it.
    const body = read(script)
    expect(() => new Script(body)).not.toThrow()
    expect(body).not.toMatch(/^\s*(import|export)\b/m)
    expect(body).not.toContain('import.meta')
    expect(body.endsWith(`})\n//# sourceMappingURL=${runCommandFile}.map\n`)).toBe(true)
  })

  it("keeps `assay --version`, `assay/vitest` and the `assay` API (what a vitest test file imports `assert` from) free of the run command", () => {
    for (const start of ['cli.js', 'vitest.js', 'index.js']) {
      const modules = [...modulesIn(staticFiles(start))]
      expect(modules).not.toContain('src/runner/run.ts')
      expect(modules).not.toContain('src/runner/plan.ts')
      expect(modules.filter((module) => /^node_modules\/(handlebars|js-yaml|tinyglobby)\//.test(module))).toEqual([])
    }
  })
})
