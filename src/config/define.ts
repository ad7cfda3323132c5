import type { UserConfig } from './schema.js'

/**
 * Types an `assay.config.ts`; returns its argument unchanged.
 * @example export default defineConfig({ record: 'replay', concurrency: 4 })
 */
export function defineConfig(config: UserConfig): UserConfig {
  return config
}
