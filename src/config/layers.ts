import type { UserConfig } from './schema.js'

/** One source of settings, in the config file's shape: the defaults, the environment, the file, the flags. */
export type ConfigLayer = UserConfig

/** Later layers win key by key; objects merge, anything else (arrays, patterns) is replaced whole. */
export function mergeLayers(layers: ConfigLayer[]): ConfigLayer {
  return layers.reduce<Record<string, unknown>>((merged, layer) => mergeObjects(merged, layer), {}) as ConfigLayer
}

function mergeObjects(base: Record<string, unknown>, over: object): Record<string, unknown> {
  const merged = { ...base }
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue
    const below = merged[key]
    merged[key] = isPlainObject(value) && isPlainObject(below) ? mergeObjects(below, value) : value
  }
  return merged
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}
