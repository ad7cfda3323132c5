// `npm run build`: type declarations from tsc, and the JavaScript as a few bundled ES modules from
// rolldown. One bundle loads far faster than ~200 small modules (each one a resolve, a stat, a
// read and a compile), and bundling lets zod's unused locales drop out. The CLI, the library that
// eval files import as `assay`, and `assay/vitest` share their chunks, so all three see one copy
// of every module (one eval registry, one AssayError class). The HTML report's browser script
// (src/report/html/client/) is type-checked as its own project and bundled in as a string. The
// run command's chunk then becomes a script that src/code-cache.ts runs with V8's code cache.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { isAscii } from 'node:buffer'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'
import { createJiti } from 'jiti'
import { build } from 'rolldown'
import { parseAst } from 'rolldown/parseAst'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(await import('node:fs').then(({ readFileSync }) => readFileSync(`${root}package.json`, 'utf8')))
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

runChunkAsScript()

/**
 * Node 20 keeps no compiled code between runs for an ES module, and the run command's chunk is
 * ~0.7 MB that every run parses, then compiles function by function on the way to its first
 * model call. So the chunk becomes a stub module with the same imports and exports, and its code
 * a function expression in a script of its own (`run-<hash>.body.js`) that the stub runs through
 * src/code-cache.ts, which keeps V8's code cache for it. Line numbers stay where they were, so
 * the chunk's source map serves the script. What cannot be carried over (a live binding that
 * changes after load, an import cycle, top-level await) fails the build instead.
 */
function runChunkAsScript() {
  const dist = `${root}dist/`
  const file = readdirSync(dist).find((name) => /^run-[\w-]+\.js$/.test(name))
  if (!file) throw new Error('The build made no run-*.js chunk: scripts/build.mjs expects one for the code cache.')
  const text = readFileSync(`${dist}${file}`, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n')
  const ast = parseAst(text)
  const at = (node, expected) => {
    if (!text.startsWith(expected, node.start)) throw new Error(`${file}: expected "${expected}" at ${node.start}; the parser's offsets no longer match the text.`)
  }
  const edits = []
  const imports = []
  let exported
  for (const node of ast.body) {
    if (node.type === 'ImportDeclaration') {
      at(node, 'import')
      const dep = `__deps[${imports.length}]`
      imports.push(node.source.value)
      const named = []
      const statements = []
      for (const specifier of node.specifiers) {
        if (specifier.type === 'ImportNamespaceSpecifier') statements.push(`const ${specifier.local.name} = ${dep};`)
        else if (specifier.type === 'ImportDefaultSpecifier') named.push(`default: ${specifier.local.name}`)
        else named.push(`${JSON.stringify(specifier.imported.name ?? specifier.imported.value)}: ${specifier.local.name}`)
      }
      if (named.length > 0) statements.push(`const { ${named.join(', ')} } = ${dep};`)
      edits.push([node.start, node.end, statements.join(' ')])
    } else if (node.type === 'ExportNamedDeclaration' && !node.declaration && !node.source && !exported) {
      exported = node.specifiers.map((specifier) => [specifier.local.name, specifier.exported.name])
      edits.push([node.start, node.end, `return { ${exported.map(([local, name]) => `${name}: ${local}`).join(', ')} };`])
    } else if (node.type.startsWith('Export')) throw new Error(`${file}: a ${node.type} cannot be carried into the run script; update scripts/build.mjs.`)
  }
  if (!exported?.every(([, name]) => /^[A-Za-z_$][\w$]*$/.test(name))) throw new Error(`${file}: its exports are not one list of plain names.`)
  const changing = variables(ast)
  for (const [local] of exported) if (changing.has(local)) throw new Error(`${file}: ${local} is exported and assigned after its declaration; the stub would keep its first value.`)
  visit(ast, (node) => {
    if (node.type === 'ImportExpression') {
      at(node, 'import')
      edits.push([node.start, node.start + 'import'.length, '__import'])
    } else if (node.type === 'MetaProperty') {
      at(node, 'import.meta')
      edits.push([node.start, node.end, '__meta'])
    } else if (node.type === 'AwaitExpression' && node.topLevel) throw new Error(`${file}: top-level await cannot go into a function.`)
  })
  for (const dep of imports.filter((source) => source.startsWith('./'))) checkDependency(dist, dep.slice(2), file)
  edits.push(...asciiEscapes(text, ast, file))
  edits.sort((a, b) => b[0] - a[0])
  let body = text
  for (const [start, end, replacement] of edits) body = body.slice(0, start) + replacement + body.slice(end)
  const script = file.replace(/\.js$/, '.body.js')
  body = `(function (__deps, __import, __meta) {"use strict";${body}})\n//# sourceMappingURL=${file}.map\n`
  // A syntax error here, not in a user's first run.
  new Script(body, { filename: script })
  if (!isAscii(Buffer.from(body))) throw new Error(`${script} is not ASCII after escaping.`)
  writeFileSync(`${dist}${script}`, body)
  writeFileSync(
    `${dist}${file}`,
    [
      ...imports.map((source, index) => `import * as __dep${index} from ${JSON.stringify(source)};`),
      'import { runScript } from "./code-cache.js";',
      `const __run = runScript(new URL(${JSON.stringify(`./${script}`)}, import.meta.url), [[${imports.map((_, index) => `__dep${index}`).join(', ')}], (specifier) => import(specifier), import.meta]);`,
      `export const { ${exported.map(([, name]) => name).join(', ')} } = __run;`,
      '',
    ].join('\n'),
  )
}

/**
 * Every non-ASCII character of the script as a \\u escape (comments, strings, regular
 * expressions, untagged templates: the same values), so src/code-cache.ts decodes its bytes as
 * Latin-1 (~0.3 ms, where UTF-8 took ~1.8) into a one-byte string of half the size. Where an
 * escape would change the code (an identifier, a tagged template's raw text, a character after
 * a backslash) the build fails instead.
 */
function asciiEscapes(text, ast, file) {
  const kept = []
  visit(ast, (node) => {
    if (node.type === 'Identifier' || node.type === 'PrivateIdentifier') kept.push([node.start, node.end])
    else if (node.type === 'TaggedTemplateExpression') kept.push([node.quasi.start, node.quasi.end])
  })
  const edits = []
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) continue
    if (text[i - 1] === '\\' || kept.some(([start, end]) => i >= start && i < end)) throw new Error(`${file}: the non-ASCII character at ${i} cannot be escaped without changing the code; update scripts/build.mjs.`)
    edits.push([i, i + 1, `\\u${unit.toString(16).padStart(4, '0')}`])
  }
  return edits
}

/** What the script takes from another chunk is copied once, at its start: it must not change later, nor the chunk import the run chunk back. */
function checkDependency(dist, dep, runFile) {
  const text = readFileSync(`${dist}${dep}`, 'utf8')
  const ast = parseAst(text)
  const changing = variables(ast)
  for (const node of ast.body) {
    if (node.type === 'ImportDeclaration' && node.source.value === `./${runFile}`) throw new Error(`${dep} imports ${runFile}: an import cycle the run script cannot take part in.`)
    if (node.type === 'ExportNamedDeclaration' && !node.source) {
      for (const specifier of node.specifiers) if (changing.has(specifier.local.name)) throw new Error(`${dep}: ${specifier.local.name} is exported and assigned after its declaration; the run script would keep its first value.`)
    }
  }
}

/**
 * The module's top-level `let` and `var` bindings that are assigned anywhere (after their
 * declaration). Counted by name, so an inner variable of the same name counts too: never too few.
 * `const`, `function` and `class` bindings keep their first value.
 */
function variables(ast) {
  const assigned = new Set()
  visit(ast, (node) => {
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') assigned.add(node.left.name)
    else if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') assigned.add(node.argument.name)
  })
  const names = new Set()
  for (const node of ast.body) {
    if (node.type !== 'VariableDeclaration' || node.kind === 'const') continue
    for (const declarator of node.declarations) if (declarator.id.type === 'Identifier' && assigned.has(declarator.id.name)) names.add(declarator.id.name)
  }
  return names
}

function visit(node, see) {
  if (!node || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const child of node) visit(child, see)
    return
  }
  if (typeof node.type === 'string') see(node)
  for (const key in node) if (key !== 'type' && typeof node[key] === 'object') visit(node[key], see)
}
