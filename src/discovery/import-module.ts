import { createJiti, type Jiti } from 'jiti'
import { fileURLToPath } from 'node:url'

let jiti: Jiti | undefined

/**
 * Imports a TypeScript or JavaScript module with no build step on the user's side. `assay` inside
 * the module resolves to this very package, so an eval file registers with the running copy.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  jiti ??= createJiti(import.meta.url, {
    alias: { assay: fileURLToPath(new URL('../index.js', import.meta.url)) },
    moduleCache: false,
    interopDefault: false,
  })
  return (await jiti.import(file)) as Record<string, unknown>
}
