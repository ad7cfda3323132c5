import { ResponseCache } from '../recording/cache.js'
import { AssayError } from '../errors.js'
import type { CliContext } from './context.js'
import { configFromFlags } from './flags.js'
import type { Flags } from './options.js'
import { printOut } from './terminal.js'

/** `assay cache list|prune|clear`. */
export async function cacheCommand(action: string, flags: Flags, context: CliContext): Promise<number> {
  if (!['list', 'prune', 'clear'].includes(action)) {
    throw new AssayError('ASSAY_USAGE', `Unknown cache action "${action}".`, { fix: 'Use `assay cache list`, `assay cache prune` or `assay cache clear`.' })
  }
  const config = await configFromFlags(flags, context)
  if (!config.cache) throw new AssayError('ASSAY_USAGE', 'The cache is disabled in the config (cache.enabled: false).', { fix: 'Enable it, or there is nothing to list or prune.' })
  const cache = new ResponseCache(config.root, config.cache)
  const out = printOut
  if (action === 'list') {
    const entries = (await cache.entries()).sort((a, b) => b.lastUsedAt - a.lastUsedAt)
    for (const entry of entries) {
      const age = Math.round((Date.now() - entry.createdAt) / 60_000)
      out(`${entry.key.slice(0, 12)}  ${entry.request.model}  ${entry.template ?? '(task)'}  ${entry.hits} hits  ${age} min old\n`)
    }
    out(`${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} in ${config.cache.dir}/\n`)
    return 0
  }
  const removed = await cache.prune(action === 'clear')
  out(`removed ${removed} ${action === 'clear' ? '' : 'expired '}entr${removed === 1 ? 'y' : 'ies'} from ${config.cache.dir}/\n`)
  return 0
}
