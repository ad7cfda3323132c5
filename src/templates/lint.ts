import Handlebars from 'handlebars'
import { AssayError } from '../errors.js'
import type { TemplateFile, TemplateWarning, VariableDeclaration } from './schema.js'
import { unsafeExpression, usedVariables } from './variables.js'

/** The prompt fields, in the order their problems are reported. */
const PROMPT_FIELDS = ['system_prompt', 'user_prompt_template'] as const

/** `{topic}` as Python's str.format writes it, but not `{{topic}}` or `{{{topic}}}`. */
const SINGLE_BRACE = /(?<!\{)\{\s*([A-Za-z_][\w]*)\s*\}(?!\})/g

/** The block helper whose body is sent as written: `{{{{raw}}}}{topic}{{{{/raw}}}}`. */
export const RAW_HELPER = 'raw'

/** A `{{> partial}}` a prompt includes: it sees the template's variables, so it is checked as the template's own. */
export interface IncludedPartial {
  /** `the partial evals/templates/partials/style.md (in system_prompt)`. */
  where: string
  file: string
  source: string
}

/** What a template's checks found: errors stop the run, warnings are listed by `assay list`. */
export interface TemplateLint {
  errors: AssayError[]
  warnings: TemplateWarning[]
}

/**
 * Checks a parsed template file like code: handlebars that parses, every `{{name}}` declared, no
 * declared variable written as a single-brace `{name}` (a prompt ported from Python's str.format,
 * which handlebars would send with the braces and without the value), and no declared variable
 * that nothing uses. `source` is the file's text, for line numbers.
 */
export function lintTemplate(file: string, source: string, spec: TemplateFile, variables: Map<string, VariableDeclaration> | undefined, partials: IncludedPartial[] = []): TemplateLint {
  const errors: AssayError[] = []
  const used = new Set<string>()
  const lines = source.split(/\r?\n/)
  const prompts = [
    ...PROMPT_FIELDS.map((field) => ({ where: field, text: spec[field], partial: undefined })),
    ...partials.map((partial) => ({ where: partial.where, text: partial.source, partial })),
  ]
  for (const { where: field, text, partial } of prompts) {
    let ast: hbs.AST.Program
    try {
      ast = Handlebars.parse(text)
    } catch (error) {
      errors.push(
        new AssayError('ASSAY_TEMPLATE_INVALID', `${field} is not a valid handlebars template: ${(error as Error).message.split('\n')[0]}.`, {
          file,
          line: partial ? undefined : fieldLine(lines, field),
          fix: 'Variables are written {{name}}; blocks as {{#if name}}...{{/if}}.',
        }),
      )
      continue
    }
    const fieldUses = usedVariables(ast)
    fieldUses.forEach((name) => used.add(name))
    const undeclared = variables ? [...fieldUses].filter((name) => !variables.has(name)) : []
    if (undeclared.length > 0) {
      errors.push(
        new AssayError('ASSAY_TEMPLATE_INVALID', `${field} uses ${undeclared.map((n) => `{{${n}}}`).join(', ')}, which variables does not declare.`, {
          file,
          line: partial ? undefined : fieldLine(lines, field),
          fix: `Declare ${undeclared.map((n) => `\`- ${n}: str\``).join(', ')} under variables, or correct the spelling.`,
        }),
      )
    }
    // Strict rendering catches a missing variable, but these would render "" (or print) with no error.
    const unsafe = unsafeExpression(ast)
    if (unsafe) {
      errors.push(
        new AssayError('ASSAY_TEMPLATE_INVALID', `${field} (line ${unsafe.line} of it): {{${unsafe.expression}}} ${unsafe.problem}.`, {
          file,
          fix: 'Use a declared variable instead; rename a case variable that shares its name with a built-in.',
        }),
      )
    }
    if (!variables) continue
    for (const { name, line } of singleBracePlaceholders(ast)) {
      if (!variables.has(name)) continue
      used.add(name)
      errors.push(
        new AssayError('ASSAY_TEMPLATE_INVALID', `${field} has {${name}}, a single-brace placeholder: it reaches the model as the text "{${name}}", not the case's ${name}.`, {
          file: partial?.file ?? file,
          line: partial ? line : placeholderLine(lines, field, line, name),
          fix: `Write {{${name}}}. Braces meant literally go inside {{{{raw}}}}...{{{{/raw}}}} (docs/templates.md, "Literal braces").`,
        }),
      )
    }
  }
  const expected = spec.validation?.expected_language
  const braced = expected === undefined ? undefined : /^\{\s*(\w+)\s*\}$/.exec(expected)?.[1]
  if (braced !== undefined && variables?.has(braced)) {
    errors.push(
      new AssayError('ASSAY_TEMPLATE_INVALID', `validation.expected_language is "{${braced}}", a single-brace placeholder.`, {
        file,
        line: lines.findIndex((text) => /^\s+expected_language\s*:/.test(text)) + 1 || undefined,
        fix: `Write expected_language: "{{${braced}}}" to take the language from the case.`,
      }),
    )
  }
  for (const match of expected?.matchAll(/\{\{\s*(\w+)\s*\}\}/g) ?? []) used.add(match[1]!)
  return { errors, warnings: errors.length > 0 ? [] : unusedVariables(file, lines, spec, variables, used) }
}

/** Declared, never read by a prompt, and not a key few-shot examples are picked by. */
function unusedVariables(file: string, lines: string[], spec: TemplateFile, variables: Map<string, VariableDeclaration> | undefined, used: Set<string>): TemplateWarning[] {
  if (!variables) return []
  const exampleTraits = new Set((spec.examples ?? []).flatMap((example) => Object.keys(example).filter((key) => !['input', 'output', 'tags'].includes(key))))
  return [...variables.keys()]
    .filter((name) => !used.has(name) && !exampleTraits.has(name))
    .map((name) => ({
      file,
      line: declarationLine(lines, name),
      message: `Variable "${name}" is declared, but neither prompt uses it.`,
      fix: `Use {{${name}}} in a prompt, or remove it from variables.`,
    }))
}

/** Single-brace names in the literal text of a prompt, with their 1-based line in the prompt. */
function singleBracePlaceholders(ast: hbs.AST.Program): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = []
  const visit = (node: hbs.AST.Node): void => {
    if (node.type === 'Program') (node as hbs.AST.Program).body.forEach(visit)
    else if (node.type === 'ContentStatement') {
      const content = node as hbs.AST.ContentStatement
      // The text as written, before {{~ }} stripped any whitespace (the types mislabel it).
      const text: string = typeof content.original === 'string' ? content.original : content.value
      for (const match of text.matchAll(SINGLE_BRACE)) {
        const before = text.slice(0, match.index)
        found.push({ name: match[1]!, line: content.loc.start.line + (before.match(/\n/g)?.length ?? 0) })
      }
    } else if (node.type === 'BlockStatement') {
      const block = node as hbs.AST.BlockStatement
      if ((block.path as hbs.AST.PathExpression).original === RAW_HELPER) return
      if (block.program) visit(block.program)
      if (block.inverse) visit(block.inverse)
    }
  }
  visit(ast)
  return found
}

/** The line of a top-level key such as `user_prompt_template:`. */
function fieldLine(lines: string[], field: string): number | undefined {
  const index = lines.findIndex((text) => new RegExp(`^${field}\\s*:`).test(text))
  return index === -1 ? undefined : index + 1
}

/**
 * The file line of a placeholder on line `promptLine` of a prompt: the first line from where it
 * should be that has it (exact for `key: |` blocks, near for quoted and folded strings).
 */
function placeholderLine(lines: string[], field: string, promptLine: number, name: string): number | undefined {
  const start = fieldLine(lines, field)
  if (start === undefined) return undefined
  // A block scalar's text starts on the line after the key; a quoted one on the key's line.
  const block = /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(lines[start - 1]!)
  const pattern = new RegExp(`(?<!\\{)\\{\\s*${name}\\s*\\}(?!\\})`)
  for (let index = start + promptLine - (block ? 1 : 2); index < lines.length; index++) if (pattern.test(lines[index]!)) return index + 1
  return start
}

/** The line declaring a variable: `  - name: str` or `  name: str`. */
function declarationLine(lines: string[], name: string): number | undefined {
  const start = fieldLine(lines, 'variables')
  if (start === undefined) return undefined
  const pattern = new RegExp(`^\\s+(?:-\\s+)?["']?${name}["']?\\s*:`)
  const index = lines.findIndex((text, i) => i >= start && pattern.test(text))
  return index === -1 ? undefined : index + 1
}
