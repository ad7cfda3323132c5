// `npm run build`: type declarations from tsc, and the JavaScript as a few bundled ES modules from
// rolldown. One bundle loads far faster than ~200 small modules (each one a resolve, a stat, a
// read and a compile), and bundling lets zod's unused locales drop out. The CLI, the library that
// eval files import as `assay`, and `assay/vitest` share their chunks, so all three see one copy
// of every module (one eval registry, one AssayError class). The HTML report's browser script
// (src/report/html/client/) is type-checked as its own project and bundled in as a string. The
// run command's chunk then becomes a script that src/code-cache.ts runs with V8's code cache.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { createJiti } from 'jiti'
import { build } from 'rolldown'
import { toScript } from './run-script.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
// Dependencies are bundled: zod (its unused locales then drop out), and the small ones every run
// loads, whose many CommonJS files (handlebars has ~30, picomatch 5) each cost a resolve, a stat, a
// read and a compile; bundled, handlebars loads in ~12 ms of CPU instead of ~27. These stay package
// imports: jiti (loaded through require() on first use, with its own bundle of babel), eld (its
// language data) and the peer vitest. The bundled ones are devDependencies, so a user's install
// is only the external ones and zod (whose types the declarations name): 3 packages. test/integration/packed-cli.test.ts runs the CLI from such an install.
const EXTERNAL = ['jiti', 'eld']
const external = [...Object.keys(manifest.dependencies).filter((name) => EXTERNAL.includes(name)), ...Object.keys(manifest.peerDependencies ?? {})]
const isExternal = (id) => id.startsWith('node:') || builtinModules.includes(id) || external.some((name) => id === name || id.startsWith(`${name}/`))

rmSync(`${root}dist`, { recursive: true, force: true })
// The code caches of the last build's scripts (src/code-cache.ts) no longer match anything.
rmSync(`${root}.code-cache`, { recursive: true, force: true })
const tsc = (...args) => execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, ...args], { cwd: root, stdio: 'inherit' })
tsc('-p', 'tsconfig.build.json', '--emitDeclarationOnly')
tsc('-p', 'src/report/html/client', '--noEmit')

// The module that bundles the report client at run time, from source, is replaced by the bundled
// text: dist/ then neither bundles nor needs rolldown.
const clientScript = `${root}src/report/html/client-script.ts`
const { bundleClient } = await createJiti(import.meta.url).import(clientScript)
const client = await bundleClient()
let clientInlined = false
const inlineReportClient = {
  name: 'assay:inline-report-client',
  load(id) {
    if (id !== clientScript) return null
    clientInlined = true
    return `const script = ${JSON.stringify(client)}\nexport function reportClient() {\n  return Promise.resolve(script)\n}\n`
  },
}
// fdir (under tinyglobby) requires picomatch when it loads, for a glob API tinyglobby never calls;
// in the bundle that require would load a second, unbundled copy of picomatch (five CommonJS files), so it goes.
const OPTIONAL_PICOMATCH = '__require.resolve("picomatch");\n\tpm = __require("picomatch");'
let fdirPatched = false
const fdirWithoutPicomatch = {
  name: 'assay:fdir-without-picomatch',
  transform(code, id) {
    if (!/[\\/]fdir[\\/]dist[\\/]index\.mjs$/.test(id)) return null
    if (!code.includes(OPTIONAL_PICOMATCH)) throw new Error(`${id} no longer has the optional picomatch require scripts/build.mjs drops. Update the build.`)
    fdirPatched = true
    // Its line break kept, so lines and the source map stay where they were.
    return { code: code.replace(OPTIONAL_PICOMATCH, '\n'), map: null }
  },
}
// handlebars requires source-map (100 KB) when it loads, for templates compiled with a srcName;
// assay compiles none, and without the package handlebars uses its own string builder (the same
// code out, and cheaper). The bundle gets an empty module in its place.
const NO_SOURCE_MAP = '\0assay:no-source-map'
const handlebarsWithoutSourceMap = {
  name: 'assay:handlebars-without-source-map',
  resolveId(id, importer) {
    return id === 'source-map' && importer && /[\\/]handlebars[\\/]/.test(importer) ? NO_SOURCE_MAP : null
  },
  load(id) {
    return id === NO_SOURCE_MAP ? 'module.exports = {}\n' : null
  },
}
// `assay run` statically needs ~30 modules' worth of chunks (the plan, zod, the reporters, ...);
// each chunk costs Node's ESM loader a resolve, a read, a compile and a link (~0.4 ms apiece on
// this machine), so the modules only the run command's static graph reaches go into one chunk.
// What `assay --version`, `assay/vitest` or the `assay` API load on their own stays out of it: a
// vitest test file imports `assert` from 'assay', and must not load the CLI and the runner for it.
const RUN_COMMAND = `${root}src/cli/run.ts`
// code-cache.ts runs the run chunk, so it must not be in it.
const ENTRIES = ['src/cli/index.ts', 'src/vitest/index.ts', 'src/index.ts', 'src/code-cache.ts'].map((entry) => `${root}${entry}`)
let runOnly
function runChunk(id, chunking) {
  if (!runOnly) {
    const reach = (from) => {
      const seen = new Set()
      const walk = (module) => {
        if (seen.has(module)) return
        seen.add(module)
        for (const imported of chunking.getModuleInfo(module)?.importedIds ?? []) walk(imported)
      }
      walk(from)
      return seen
    }
    const elsewhere = new Set(ENTRIES.flatMap((entry) => [...reach(entry)]))
    runOnly = new Set([...reach(RUN_COMMAND)].filter((module) => !elsewhere.has(module)))
  }
  return runOnly.has(id) ? 'run' : null
}
// 'handlebars' is lib/index.js, which adds a printer (4 KB, for Handlebars.print) to the package's
// main file and registers require() hooks for .hbs and .handlebars files in the whole process;
// assay needs neither, so the bundle takes the main file (the same Handlebars object) itself.
const HANDLEBARS_MAIN = `${root}node_modules/handlebars/dist/cjs/handlebars.js`
const handlebarsMain = {
  name: 'assay:handlebars-main',
  resolveId(id) {
    return id === 'handlebars' ? HANDLEBARS_MAIN : null
  },
}
// simple-statistics' bundle is one file whose top level builds tables and classes assay never
// uses (a 310-entry normal table, a Bayesian classifier, a perceptron): 1.33 ms of every run's
// start (median of 7 runs, region marks in the run chunk; 0.02 ms from the source). Its ESM source (index.js, one module per function) lets the bundle keep only the
// functions src/stats imports; the package has no side effects to keep.
const SIMPLE_STATISTICS_SOURCE = `${root}node_modules/simple-statistics/index.js`
const simpleStatisticsBySource = {
  name: 'assay:simple-statistics-by-source',
  resolveId(id) {
    return id === 'simple-statistics' ? SIMPLE_STATISTICS_SOURCE : null
  },
}
await build({
  cwd: root,
  input: { index: 'src/index.ts', cli: 'src/cli/index.ts', vitest: 'src/vitest/index.ts', 'code-cache': 'src/code-cache.ts' },
  external: isExternal,
  plugins: [inlineReportClient, fdirWithoutPicomatch, handlebarsMain, handlebarsWithoutSourceMap, simpleStatisticsBySource],
  treeshake: { moduleSideEffects: [{ test: /[\\/]node_modules[\\/]simple-statistics[\\/]/, sideEffects: false }] },
  // The run chunk's grouping (includeDependenciesRecursively: false) needs this: an entry may export
  // more than its module does, so a chunk can import what it shares with that entry from it.
  preserveEntrySignatures: 'allow-extension',
  platform: 'node',
  logLevel: 'warn',
  output: { dir: 'dist', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', codeSplitting: { includeDependenciesRecursively: false, groups: [{ name: runChunk, debugName: "run" }] } },
})
if (!fdirPatched) throw new Error('The build never loaded fdir: check that scripts/build.mjs still drops its optional picomatch require.')
if (!clientInlined) throw new Error(`The build never loaded ${clientScript}: the HTML report would have no script. Update scripts/build.mjs.`)

// The run command's chunk becomes a stub module and a script that src/code-cache.ts runs with V8's
// code cache (scripts/run-script.mjs says why and how).
const dist = `${root}dist/`
const runFile = readdirSync(dist).find((name) => /^run-[\w-]+\.js$/.test(name))
if (!runFile) throw new Error('The build made no run-*.js chunk: scripts/build.mjs expects one for the code cache.')
const { script, body, stub } = toScript(
  readFileSync(`${dist}${runFile}`, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'),
  runFile,
  (name) => readFileSync(`${dist}${name}`, 'utf8'),
)
writeFileSync(`${dist}${script}`, body)
writeFileSync(`${dist}${runFile}`, stub)
