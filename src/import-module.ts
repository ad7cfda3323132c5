import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Jiti } from 'jiti'
import { requireCached } from './code-cache.js'

let jiti: Jiti | undefined

/**
 * Imports a TypeScript or JavaScript module with no build step on the user's side. `assay` inside
 * the module resolves to this very package, so an eval file registers with the running copy.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  if (!jiti) {
    // Through require(): jiti's ESM entry imports its 190 KB CommonJS build, which Node first
    // scans for export names (~40 ms of start-up); require() loads the same code without the scan,
    // and that build compiled from the code cache (from the run command's start to the config
    // loaded: 20.3 -> 13.8 ms, medians of 15 alternating runs).
    const { createJiti } = requireCached(createRequire(import.meta.url), 'jiti', /[\\/]jiti[\\/]dist[\\/]jiti\.cjs$/) as typeof import('jiti')
    jiti = createJiti(import.meta.url, {
      alias: { assay: fileURLToPath(new URL('./index.js', import.meta.url)) },
      moduleCache: false,
      interopDefault: false,
    })
  }
  return (await jiti.import(file)) as Record<string, unknown>
}
