import { execFile } from 'node:child_process'
import { readFile, symlink, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { join } from 'pathe'
import { repoRoot } from './cli.js'

const exec = promisify(execFile)

interface LockEntry {
  dev?: boolean
  devOptional?: boolean
  peer?: boolean
}

/**
 * Installs assay as a user would, from the tarball `npm pack` makes of this repository (dist/ as
 * the global setup built it), into `root`, offline: the project's lockfile is derived from this
 * one's production entries, so `npm ci --offline` finds every tarball in npm's cache. `links`
 * (vitest, typescript) are linked from this repository's node_modules rather than installed.
 */
export async function installPackedAssay(root: string, links: string[] = []): Promise<void> {
  const npm = { cwd: repoRoot, env: { ...process.env, npm_config_loglevel: 'error' } }
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], npm)
  const tarball = (JSON.parse(stdout) as { filename: string }[])[0]!.filename
  const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }
  const dependency = { assay: `file:${tarball}` }
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: dependency },
    'node_modules/assay': {
      version: manifest.version,
      resolved: `file:${tarball}`,
      license: manifest.license,
      dependencies: manifest.dependencies,
      peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta,
      bin: { assay: 'bin/assay.js' },
      engines: manifest.engines,
    },
  }
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.peer) packages[path] = entry
  }
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: dependency }))
  await writeFile(join(root, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }))
  await exec('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { ...npm, cwd: root })
  for (const name of links) await symlink(join(repoRoot, 'node_modules', name), join(root, 'node_modules', name), 'dir')
}
