import { readFile } from 'node:fs/promises'
import Handlebars from 'handlebars'
import { join, relative, resolve } from 'pathe'
import { AssayError } from '../errors.js'
import { decodeText } from '../text-file.js'

/** Where partials live under templatesDir, and the extensions tried in order. */
export const PARTIALS_DIR = 'partials'
const EXTENSIONS = ['.md', '.txt'] as const
/** `style`, `safety/short`: path segments of letters, digits, `_`, `-` and `.` (never `..`). */
const NAME = /^(?!.*(^|\/)\.\.?(\/|$))[\w.-]+(\/[\w.-]+)*$/

/** A shared prompt part: `{{> style}}` includes `<templatesDir>/partials/style.md` (or `.txt`). */
export interface Partial {
  name: string
  /** Relative POSIX path of the file. */
  file: string
  source: string
}

/**
 * The `{{> name}}` partials a handlebars source includes, in order of first use. Partials take no
 * arguments: they see the template's own variables, so the variable checks cover them.
 */
export function includedPartials(source: string, file: string, field: string): string[] {
  const names: string[] = []
  const visit = (node: hbs.AST.Node): void => {
    if (node.type === 'Program') (node as hbs.AST.Program).body.forEach(visit)
    else if (node.type === 'BlockStatement') {
      const block = node as hbs.AST.BlockStatement
      if (block.program) visit(block.program)
      if (block.inverse) visit(block.inverse)
    } else if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      const partial = node as hbs.AST.PartialStatement
      const name = partial.name.type === 'PathExpression' ? (partial.name as hbs.AST.PathExpression).original : undefined
      if (name === undefined || partial.params.length > 0 || (partial.hash?.pairs.length ?? 0) > 0 || node.type === 'PartialBlockStatement') {
        throw new AssayError('ASSAY_TEMPLATE_INVALID', `${field} includes a partial with a computed name, arguments or a block; partials are written {{> name}}.`, {
          file,
          fix: 'Write {{> name}} (or {{> folder/name}}): a partial sees the variables of the template that includes it.',
        })
      }
      if (!names.includes(name)) names.push(name)
    }
  }
  let program: hbs.AST.Program
  try {
    program = Handlebars.parse(source)
  } catch (error) {
    throw new AssayError('ASSAY_TEMPLATE_INVALID', `${field} is not a valid handlebars template: ${(error as Error).message.split('\n')[0]}.`, {
      file,
      fix: 'Variables are written {{name}}; blocks as {{#if name}}...{{/if}}; partials as {{> name}}.',
    })
  }
  visit(program)
  return names
}

/** Partials read from `<templatesDir>/partials/`, once each. */
export class PartialStore {
  private readonly read = new Map<string, Promise<Partial>>()

  constructor(
    private readonly root: string,
    private readonly templatesDir: string,
  ) {}

  /**
   * Every partial `source` includes, directly or through other partials, by name. A missing or
   * recursive partial is an error naming it and the file that includes it.
   */
  async closure(source: string, file: string, field: string): Promise<Map<string, Partial>> {
    const found = new Map<string, Partial>()
    const walk = async (text: string, includer: string, where: string, chain: string[]): Promise<void> => {
      for (const name of includedPartials(text, includer, where)) {
        if (chain.includes(name)) {
          throw new AssayError('ASSAY_TEMPLATE_INVALID', `Partial "${name}" includes itself (${[...chain, name].join(' → ')}).`, {
            file: includer,
            fix: 'Remove the loop: a partial cannot include itself, directly or through another.',
          })
        }
        if (found.has(name)) continue
        const partial = await this.load(name, includer, where)
        found.set(name, partial)
        await walk(partial.source, partial.file, 'the partial', [...chain, name])
      }
    }
    await walk(source, file, field, [])
    return found
  }

  private load(name: string, includer: string, field: string): Promise<Partial> {
    let partial = this.read.get(name)
    if (!partial) {
      partial = this.readPartial(name, includer, field)
      this.read.set(name, partial)
      // A failed read is not kept: the next template that includes it reports it against itself.
      partial.catch(() => this.read.delete(name))
    }
    return partial
  }

  private async readPartial(name: string, includer: string, field: string): Promise<Partial> {
    const dir = join(this.templatesDir, PARTIALS_DIR)
    if (!NAME.test(name)) {
      throw new AssayError('ASSAY_TEMPLATE_INVALID', `${field} includes {{> ${name}}}, which is not a partial name.`, {
        file: includer,
        fix: `Name a file under ${dir}/ without its extension, such as {{> style}} or {{> safety/short}}.`,
      })
    }
    for (const extension of EXTENSIONS) {
      const path = resolve(this.root, dir, `${name}${extension}`)
      let bytes: Uint8Array
      try {
        bytes = await readFile(path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        continue
      }
      // Decoded as template files are: a Latin-1 partial is an error, not U+FFFD in the prompt.
      const file = relative(this.root, path)
      return { name, file, source: decodeText(bytes, file, 'ASSAY_TEMPLATE_INVALID') }
    }
    throw new AssayError('ASSAY_TEMPLATE_INVALID', `${field} includes {{> ${name}}}, but there is no partial "${name}" (looked for ${dir}/${name}.md and ${dir}/${name}.txt).`, {
      file: includer,
      fix: `Create ${dir}/${name}.md with the shared text, or correct the name.`,
    })
  }
}
