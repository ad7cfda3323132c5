// `npm run build`: type declarations from tsc, and the JavaScript as a few bundled ES modules from
// rolldown. One bundle loads far faster than ~200 small modules (each one a resolve, a stat, a
// read and a compile), and bundling lets zod's unused locales drop out. The CLI, the library that
// eval files import as `assay`, and `assay/vitest` share their chunks, so all three see one copy
// of every module (one eval registry, one AssayError class).
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'rolldown'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(await import('node:fs').then(({ readFileSync }) => readFileSync(`${root}package.json`, 'utf8')))
// zod is bundled (its locales then drop out); every other dependency stays a package import.
const external = [...Object.keys(manifest.dependencies).filter((name) => name !== 'zod'), ...Object.keys(manifest.peerDependencies ?? {})]
const isExternal = (id) => id.startsWith('node:') || builtinModules.includes(id) || external.some((name) => id === name || id.startsWith(`${name}/`))

rmSync(`${root}dist`, { recursive: true, force: true })
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { cwd: root, stdio: 'inherit' })
await build({
  cwd: root,
  input: { index: 'src/index.ts', cli: 'src/cli/index.ts', vitest: 'src/vitest/index.ts' },
  external: isExternal,
  platform: 'node',
  logLevel: 'warn',
  output: { dir: 'dist', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
})
