import { readFile } from 'node:fs/promises'
import { glob } from 'tinyglobby'
import { join, relative, resolve } from 'pathe'
import { AggregateAssayError, AssayError, isAssayError } from '../errors.js'
import { decodeText } from '../text-file.js'
import { loadYaml } from '../yaml.js'
import { formatIssues, fewParses } from '../zod-issues.js'
import { lintTemplate, type IncludedPartial } from './lint.js'
import { templateFileSchema, type PromptTemplate, type TemplateFile, type VariableDeclaration, type VariableType } from './schema.js'
import { PARTIALS_DIR, PartialStore, type Partial } from './partials.js'
import { compareVersions, parseVersion } from './version.js'

const FILE_PATTERN = /^(?<name>.+)_v(?<version>\d+(?:\.\d+)*)\.ya?ml$/

/** `writer/write_chapter_v2.yaml` (relative to templatesDir) → name `writer/write_chapter`, version `2`. */
export function templateFileName(file: string): { name: string; version: string } | undefined {
  const groups = FILE_PATTERN.exec(file)?.groups
  return groups ? { name: groups.name!, version: groups.version! } : undefined
}

interface TemplateEntry {
  name: string
  version: string
  parsedVersion: number[]
  path: string
}

/**
 * The YAML templates under `templatesDir`: `writer/write_chapter_v2.yaml` is version 2 of
 * `writer/write_chapter`. Files are read when first asked for, then kept.
 */
export class TemplateLibrary {
  private readonly loaded = new Map<string, Promise<PromptTemplate>>()
  private readonly partials: PartialStore

  private constructor(
    private readonly root: string,
    private readonly dir: string,
    private readonly entries: Map<string, TemplateEntry[]>,
    private readonly unversioned: string[],
  ) {
    this.partials = new PartialStore(root, dir)
  }

  static async open(root: string, templatesDir: string): Promise<TemplateLibrary> {
    const dir = resolve(root, templatesDir)
    const files = await glob(['**/*.yaml', '**/*.yml'], { cwd: dir, onlyFiles: true, ignore: [`${PARTIALS_DIR}/**`] })
    const entries = new Map<string, TemplateEntry[]>()
    const unversioned: string[] = []
    for (const file of files.sort()) {
      const named = templateFileName(file)
      const parsedVersion = named ? parseVersion(named.version) : undefined
      if (!named || !parsedVersion) {
        unversioned.push(file)
        continue
      }
      const { name, version } = named
      entries.set(name, [...(entries.get(name) ?? []), { name, version, parsedVersion, path: join(dir, file) }])
    }
    for (const list of entries.values()) list.sort((a, b) => compareVersions(a.parsedVersion, b.parsedVersion))
    return new TemplateLibrary(root, templatesDir, entries, unversioned)
  }

  /** `writer/write_chapter` (latest active version) or `writer/write_chapter@2` (pinned). */
  async resolve(reference: string, usedIn: string): Promise<PromptTemplate> {
    const [name = '', pin, ...rest] = reference.split('@')
    const versions = this.entries.get(name)
    if (!versions || rest.length > 0) throw this.notFound(reference, usedIn)
    if (pin !== undefined) {
      const wanted = parseVersion(pin)
      const entry = wanted && versions.find((candidate) => compareVersions(candidate.parsedVersion, wanted) === 0)
      if (!entry) {
        throw new AssayError('ASSAY_TEMPLATE_NOT_FOUND', `Template "${name}" has no version ${pin} (it has ${versions.map((v) => `v${v.version}`).join(', ')}).`, {
          file: usedIn,
          fix: `Pin an existing version, or create ${relative(this.root, join(this.root, this.dir, `${name}_v${pin}.yaml`))}.`,
        })
      }
      return this.load(entry)
    }
    for (const entry of [...versions].reverse()) {
      const template = await this.load(entry)
      if (template.active) return template
    }
    throw new AssayError('ASSAY_TEMPLATE_NOT_FOUND', `Every version of template "${name}" is marked active: false.`, {
      file: usedIn,
      fix: `Set active: true in one of them, or pin a version: "${name}@${versions.at(-1)!.version}".`,
    })
  }

  /**
   * Every version of every template, by name then version: loaded and checked, or the error that
   * keeps it from loading (named by template and version), so one broken file does not hide the rest.
   */
  async all(): Promise<({ status: 'loaded'; template: PromptTemplate } | { status: 'invalid'; name: string; version: string; file: string; error: AssayError })[]> {
    return Promise.all(
      [...this.entries.values()].flat().map((entry) =>
        this.load(entry).then(
          (template) => ({ status: 'loaded' as const, template }),
          (error: unknown) => {
            if (!isAssayError(error)) throw error
            return { status: 'invalid' as const, name: entry.name, version: entry.version, file: relative(this.root, entry.path), error }
          },
        ),
      ),
    )
  }

  private load(entry: TemplateEntry): Promise<PromptTemplate> {
    let template = this.loaded.get(entry.path)
    if (!template) {
      template = readTemplate(this.root, entry, this.partials)
      this.loaded.set(entry.path, template)
    }
    return template
  }

  private notFound(reference: string, usedIn: string): AssayError {
    const available = [...this.entries.values()].map((list) => `${list[0]!.name} (${list.map((v) => `v${v.version}`).join(', ')})`)
    const near = this.unversioned.find((file) => file.replace(/\.ya?ml$/, '') === reference.split('@')[0])
    const fix = near
      ? `Rename ${this.dir}/${near} to end in _v1.yaml: template versions come from the file name.`
      : available.length > 0
        ? `Use one of: ${available.join(', ')}.`
        : `Create ${this.dir}/${reference.split('@')[0]}_v1.yaml, or set templatesDir in assay.config.ts.`
    return new AssayError('ASSAY_TEMPLATE_NOT_FOUND', `Template "${reference}" was not found in ${this.dir}/.`, { file: usedIn, fix })
  }
}

async function readTemplate(root: string, entry: TemplateEntry, partialStore: PartialStore): Promise<PromptTemplate> {
  const file = relative(root, entry.path)
  let text: string
  let data: unknown
  try {
    text = decodeText(await readFile(entry.path), file, 'ASSAY_TEMPLATE_INVALID')
    data = loadYaml(text, file)
  } catch (error) {
    if (isAssayError(error)) throw error
    const mark = (error as { mark?: { line?: number } }).mark
    throw new AssayError('ASSAY_TEMPLATE_INVALID', `The template is not valid YAML: ${(error as { reason?: string }).reason ?? (error as Error).message}.`, {
      file,
      line: mark?.line === undefined ? undefined : mark.line + 1,
      fix: 'Fix the YAML syntax (multi-line prompts read best as `key: |` blocks).',
    })
  }
  const parsed = templateFileSchema.safeParse(data, fewParses(templateFileSchema))
  if (!parsed.success) {
    throw new AssayError('ASSAY_TEMPLATE_INVALID', `The template is invalid: ${formatIssues(parsed.error)}.`, {
      file,
      fix: 'docs/templates.md describes every field.',
    })
  }
  const spec = parsed.data
  checkVersionField(spec, entry, file)
  const variables = declaredVariables(spec)
  const partials = new Map<string, Partial>()
  const included: IncludedPartial[] = []
  for (const [field, source] of [['system_prompt', spec.system_prompt], ['user_prompt_template', spec.user_prompt_template]] as const) {
    for (const [name, partial] of await partialStore.closure(source, file, field)) {
      partials.set(name, partial)
      included.push({ where: `the partial ${partial.file} (in ${field})`, file: partial.file, source: partial.source })
    }
  }
  const { errors, warnings } = lintTemplate(file, text, spec, variables, included)
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new AggregateAssayError(errors)
  return {
    name: entry.name,
    version: entry.version,
    file,
    active: spec.active,
    systemPrompt: spec.system_prompt,
    userPromptTemplate: spec.user_prompt_template,
    variables,
    validation: spec.validation,
    examples: spec.examples,
    partials,
    warnings,
  }
}

function checkVersionField(spec: TemplateFile, entry: TemplateEntry, file: string): void {
  if (spec.version === undefined) return
  const declared = parseVersion(String(spec.version))
  if (!declared || compareVersions(declared, entry.parsedVersion) !== 0) {
    throw new AssayError('ASSAY_TEMPLATE_INVALID', `version: "${spec.version}" does not match the file name, which says v${entry.version}.`, {
      file,
      fix: `Set version: "${entry.version}", or rename the file; the file name decides which version "latest" picks.`,
    })
  }
}

function declaredVariables(spec: TemplateFile): Map<string, VariableDeclaration> | undefined {
  if (!spec.variables) return undefined
  const pairs = Array.isArray(spec.variables) ? spec.variables.flatMap((entry) => Object.entries(entry)) : Object.entries(spec.variables)
  return new Map(
    pairs.map(([name, type]) => [name, { type: type.replace(/\?$/, '') as VariableType, optional: type.endsWith('?') }]),
  )
}
