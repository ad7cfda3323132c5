import { resolve } from 'pathe'
import { resolveConfig } from '../config/load.js'
import type { ResolvedConfig } from '../config/schema.js'
import { Redactor } from '../output/index.js'
import type { CliContext } from './context.js'
import { flagLayer, type Flags } from './options.js'
import { redactOutput } from './terminal.js'

/** The config a command runs with: defaults, environment, config file and flags, layered (config/load.ts). */
export async function configFromFlags(flags: Flags, context: CliContext): Promise<ResolvedConfig> {
  const root = resolve(context.cwd, flags.root ?? '.')
  const config = await resolveConfig(root, { file: flags.config, env: context.env, flags: flagLayer(flags) })
  redactOutput(new Redactor(config.redact))
  return config
}

export function stringFilters(filters: unknown[]): string[] {
  return filters.map(String)
}
