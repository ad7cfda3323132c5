import { z } from 'zod'
import type { Partial } from './partials.js'

export const VARIABLE_TYPES = ['str', 'string', 'int', 'integer', 'float', 'number', 'bool', 'boolean', 'list', 'array', 'dict', 'object', 'any'] as const
export type VariableType = (typeof VARIABLE_TYPES)[number]

/** `int`, or `str?` for a variable a case may leave out. */
const variableTypeSchema = z.string().regex(new RegExp(`^(${VARIABLE_TYPES.join('|')})\\??$`), {
  message: `expected one of ${VARIABLE_TYPES.join(', ')} (add ? for optional)`,
})

/** The seed writes variables as a list of one-key maps; a plain map reads the same. */
const variablesSchema = z.union([
  z.array(z.record(z.string(), variableTypeSchema).refine((entry) => Object.keys(entry).length === 1, 'each list item declares one variable: - name: type')),
  z.record(z.string(), variableTypeSchema),
])

/** A YAML date (2025-01-20) loads as a Date; keep it as the text the author wrote. */
const dateLike = z.union([z.string(), z.date().transform((date) => date.toISOString().slice(0, 10))])

export const templateFileSchema = z.strictObject({
  version: z.union([z.string(), z.number()]).optional(),
  agent: z.string().optional(),
  task: z.string().optional(),
  description: z.string().optional(),
  created: dateLike.optional(),
  author: z.string().optional(),
  active: z.boolean().default(true),
  system_prompt: z.string().default(''),
  user_prompt_template: z.string().min(1),
  variables: variablesSchema.optional(),
  validation: z
    .strictObject({
      min_length: z.int().min(0).optional(),
      max_length: z.int().min(0).optional(),
      expected_language: z.string().optional(),
    })
    .optional(),
  examples: z
    .array(
      z.looseObject({
        input: z.record(z.string(), z.unknown()),
        output: z.string(),
        tags: z.array(z.string()).optional(),
      }),
    )
    .optional(),
})

export type TemplateFile = z.infer<typeof templateFileSchema>

export interface VariableDeclaration {
  type: VariableType
  optional: boolean
}

/** Something a template's checks found worth fixing that does not stop a run. */
export interface TemplateWarning {
  file: string
  line: number | undefined
  message: string
  fix: string
}

/** A template file, parsed, checked and compiled. */
export interface PromptTemplate {
  /** `writer/write_chapter`. */
  name: string
  /** The version from the file name, as written: `2`, `1.1`. */
  version: string
  /** Relative POSIX path of the YAML file. */
  file: string
  active: boolean
  systemPrompt: string
  userPromptTemplate: string
  /** Declared variables; undefined when the template declares none (then it is not type-checked). */
  variables: Map<string, VariableDeclaration> | undefined
  validation: TemplateFile['validation']
  examples: TemplateFile['examples']
  /** Every `{{> name}}` partial the prompts include, directly or through other partials. */
  partials: ReadonlyMap<string, Partial>
  /** Declared variables no prompt uses; `assay list` and `assay doctor` show them. */
  warnings: TemplateWarning[]
}
