import type { EvalSpec } from './spec.js'

/** An `evaluate()` call, as the loader saw it. */
export interface RegisteredEval {
  name: string
  spec: EvalSpec
  /** Absolute path of the eval file that called `evaluate()`. */
  file: string | undefined
}

interface RegistryState {
  currentFile: string | undefined
  evals: RegisteredEval[]
}

// On globalThis, so an eval file that loads its own copy of assay still registers with the runner.
const KEY = Symbol.for('assay.registry')

function state(): RegistryState {
  const holder = globalThis as { [KEY]?: RegistryState }
  holder[KEY] ??= { currentFile: undefined, evals: [] }
  return holder[KEY]
}

/**
 * Declares an eval: a prompt template (or task), its cases and what each answer must satisfy.
 * @example evaluate('writer: chapter', { template: 'writer/write_chapter', model: 'llama3.2', cases, assert })
 */
export function evaluate(name: string, spec: EvalSpec): void {
  const registry = state()
  registry.evals.push({ name, spec, file: registry.currentFile })
}

/** Collects the evals registered while `load` runs a file. */
export async function collectEvals(file: string, load: () => Promise<unknown>): Promise<RegisteredEval[]> {
  const registry = state()
  registry.currentFile = file
  registry.evals = []
  try {
    await load()
    return registry.evals
  } finally {
    registry.currentFile = undefined
    registry.evals = []
  }
}
