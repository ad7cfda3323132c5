import yaml from 'js-yaml'
import { AssayError } from './errors.js'

/**
 * Nodes a YAML document may expand to, counting every alias as a full copy of what it names.
 * A million is far past any real cases file or template and is counted in milliseconds; an alias
 * bomb (a few hundred bytes that expand to billions of nodes) is refused at once.
 */
export const MAX_YAML_NODES = 1_000_000

/** js-yaml's load, refusing a document whose aliases expand beyond MAX_YAML_NODES. */
export function loadYaml(text: string, file: string): unknown {
  const value = yaml.load(text, { filename: file })
  const nodes = expandedSize(value, MAX_YAML_NODES)
  if (nodes > MAX_YAML_NODES) {
    throw new AssayError('ASSAY_YAML_TOO_LARGE', `The YAML expands to more than ${MAX_YAML_NODES.toLocaleString('en')} values once its aliases (*name) are followed: it looks like an alias bomb.`, {
      file,
      fix: 'Write the values out, or use fewer nested aliases; a cases file or template never needs this many.',
    })
  }
  return value
}

/**
 * The node count with every shared object counted each time it is reached, computed once per
 * distinct object (aliases share one), so the count itself costs the size of the parsed document.
 */
export function expandedSize(value: unknown, limit: number): number {
  const sizes = new Map<object, number>()
  const size = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1
    const known = sizes.get(node)
    if (known !== undefined) return known
    sizes.set(node, limit + 1) // a cycle (an alias inside what it names) counts as too large
    let total = 1
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      total += size(child)
      if (total > limit) break
    }
    sizes.set(node, Math.min(total, limit + 1))
    return Math.min(total, limit + 1)
  }
  return size(value)
}
