import type { EvalSpec, RepeatGate } from '../../src/discovery/spec.js'
import type { EvalPlan } from '../../src/runner/plan.js'

/**
 * A planned eval of `cases` cases (ids c0, c1, ...) on the named variants, none of which calls a
 * model: for the runner's parts that only count, schedule and order samples.
 */
export function planOf(name: string, cases: number, variants: string[] = [], options: { repeat?: number; repeatGate?: RepeatGate } = {}): EvalPlan {
  const spec: EvalSpec = { cases: [], ...(variants.length > 0 ? { variants: Object.fromEntries(variants.map((variant) => [variant, {}])) } : {}), repeatGate: options.repeatGate }
  return {
    name,
    file: `evals/${name}.eval.ts`,
    spec,
    cases: Array.from({ length: cases }, (_, i) => ({ id: `c${i}`, vars: { n: i } })),
    repeat: options.repeat ?? 1,
    threshold: 1,
    maxExamples: 0,
    retryOnFail: 0,
    variants: (variants.length > 0 ? variants : [undefined]).map((variant) => ({ name: variant, template: undefined, provider: undefined, model: undefined, options: undefined, think: undefined, tools: undefined, assertions: [], examples: [] })),
    warnings: [],
  }
}
