import { AssayError, isAssayError } from '../errors.js'
import { renderPrompt } from './render.js'
import type { PromptTemplate } from './schema.js'

/** A few-shot example, rendered: the user turn it stands for and the answer to imitate. */
export interface FewShotExample {
  user: string
  output: string
  tags: string[]
  /** Keys besides input, output and tags (`genre: fantasy`), matched against the case's vars. */
  traits: Record<string, unknown>
}

/** Renders every example of a template once, so a broken example fails the plan, not a case. */
export function renderExamples(template: PromptTemplate): FewShotExample[] {
  return (template.examples ?? []).map((example, index) => {
    const { input, output, tags = [], ...traits } = example
    try {
      return { user: renderPrompt(template, input, { evalName: 'examples', caseId: `examples[${index}]` }).user, output, tags, traits }
    } catch (error) {
      if (!isAssayError(error)) throw error
      throw new AssayError('ASSAY_TEMPLATE_INVALID', `examples[${index}] cannot be rendered: ${error.message}`, {
        file: template.file,
        fix: "Give the example's input every variable the prompt needs, or mark the variable optional.",
      })
    }
  })
}

/**
 * The seed's relevance heuristic, generalised: two points per shared tag, one per trait equal to
 * the case's var of the same name (`genre`, `tone`); the best `max`, ties in file order.
 */
export function selectExamples(
  examples: FewShotExample[],
  testCase: { tags?: string[]; vars: Record<string, unknown> },
  max: number,
): FewShotExample[] {
  if (max <= 0 || examples.length === 0) return []
  const tags = new Set(testCase.tags ?? [])
  const scored = examples.map((example, index) => {
    const shared = example.tags.filter((tag) => tags.has(tag)).length
    const traits = Object.entries(example.traits).filter(([key, value]) => testCase.vars[key] === value).length
    return { example, index, score: shared * 2 + traits }
  })
  scored.sort((a, b) => b.score - a.score || a.index - b.index)
  return scored.slice(0, max).map(({ example }) => example)
}
