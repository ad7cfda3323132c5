import Handlebars from 'handlebars'
import { AssayError } from '../errors.js'
import { RAW_HELPER } from './lint.js'
import type { PromptTemplate } from './schema.js'
import { typeMismatch } from './variables.js'

export interface RenderedPrompt {
  system: string
  user: string
}

/** Which case a render is for, so an error can name it. */
export interface RenderTarget {
  evalName: string
  caseId: string
}

const handlebars = Handlebars.create()
handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2))
// `{{log}}` would print to stdout from inside a render; templates are refused it, and it is gone here too.
handlebars.unregisterHelper('log')
// {{{{raw}}}}...{{{{/raw}}}}: handlebars hands a raw block's body over unparsed, braces and all.
handlebars.registerHelper(RAW_HELPER, (options: Handlebars.HelperOptions) => options.fn(undefined))

type Compiled = Handlebars.TemplateDelegate
const compiled = new WeakMap<PromptTemplate, { system: Compiled; user: Compiled; partials: Record<string, Compiled> }>()
const COMPILE_OPTIONS = { noEscape: true, strict: true }

/** Checks the case's variables against the template's declarations: presence and type. */
export function checkVariables(template: PromptTemplate, vars: Record<string, unknown>, target: RenderTarget): void {
  if (!template.variables) return
  for (const [name, declaration] of template.variables) {
    if (!(name in vars) || vars[name] === undefined) {
      if (declaration.optional) continue
      throw variableError(template, target, `is missing variable "${name}" (${declaration.type})`, `Add "${name}" to the case's vars, or declare it optional as \`${name}: ${declaration.type}?\`.`)
    }
    const mismatch = typeMismatch(vars[name], declaration)
    if (mismatch) {
      throw variableError(template, target, `has variable "${name}" of the wrong type: ${mismatch}`, `Give "${name}" a ${declaration.type} value in the case, or change its declared type.`)
    }
  }
}

/** System and user prompt for one case. Strict: a variable the case lacks is an error, never "". */
export function renderPrompt(template: PromptTemplate, vars: Record<string, unknown>, target: RenderTarget): RenderedPrompt {
  checkVariables(template, vars, target)
  const context: Record<string, unknown> = { ...vars }
  for (const [name, declaration] of template.variables ?? []) {
    if (declaration.optional && context[name] === undefined) context[name] = null
  }
  let functions = compiled.get(template)
  if (!functions) {
    functions = {
      system: compilePart(template.systemPrompt),
      user: compilePart(template.userPromptTemplate),
      // Compiled here rather than by the runtime, so partials render unescaped and strict too.
      partials: Object.fromEntries([...template.partials].map(([name, partial]) => [name, handlebars.compile(partial.source, COMPILE_OPTIONS)])),
    }
    compiled.set(template, functions)
  }
  try {
    const runtime = { partials: functions.partials }
    return { system: functions.system(context, runtime), user: functions.user(context, runtime) }
  } catch (error) {
    const missing = /"([^"]+)" not defined/.exec((error as Error).message)?.[1]
    if (missing) {
      throw variableError(template, target, `is missing variable "${missing}"`, `Add "${missing}" to the case's vars, or declare it under variables as optional (\`${missing}: str?\`).`)
    }
    throw new AssayError('ASSAY_TEMPLATE_INVALID', `Rendering failed for case "${target.caseId}" of eval "${target.evalName}": ${(error as Error).message}`, {
      file: template.file,
      fix: 'Check the template expression named above.',
      cause: error,
    })
  }
}

/**
 * A part without `{{` is plain text, which handlebars gives back as written: it is returned as is,
 * sparing each case a template call (handlebars merges and wraps its helpers on every call).
 */
function compilePart(source: string): Compiled {
  return source.includes('{{') ? handlebars.compile(source, COMPILE_OPTIONS) : () => source
}

function variableError(template: PromptTemplate, target: RenderTarget, problem: string, fix: string): AssayError {
  return new AssayError(
    'ASSAY_TEMPLATE_VARIABLE',
    `Case "${target.caseId}" of eval "${target.evalName}" ${problem} for template ${template.name}@${template.version}.`,
    { file: template.file, fix },
  )
}
