import { describe, expect, it } from 'vitest'
import { TemplateLibrary } from '../../src/templates/library.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'

const template = (version: string, extra = '') => `version: "${version}"
${extra}user_prompt_template: "v${version} {{name}}"
variables:
  - name: str
`

let workspace: Workspace

async function library(files: Record<string, string>): Promise<TemplateLibrary> {
  workspace = await createWorkspace(files)
  return TemplateLibrary.open(workspace.root, 'templates')
}

describe('TemplateLibrary', () => {
  it('resolves a name to its highest version by number', async () => {
    const lib = await library({
      'templates/a/t_v2.yaml': template('2'),
      'templates/a/t_v9.yaml': template('9'),
      'templates/a/t_v10.yaml': template('10'),
    })
    const resolved = await lib.resolve('a/t', 'x.eval.ts')
    expect(resolved.version).toBe('10')
    expect(resolved.file).toBe('templates/a/t_v10.yaml')
  })

  it('skips inactive versions for "latest" but lets a pin reach them', async () => {
    const lib = await library({
      'templates/a/t_v1.yaml': template('1'),
      'templates/a/t_v2.yaml': template('2', 'active: false\n'),
    })
    expect((await lib.resolve('a/t', 'x.eval.ts')).version).toBe('1')
    expect((await lib.resolve('a/t@2', 'x.eval.ts')).version).toBe('2')
  })

  it('pins a version written with trailing zeros', async () => {
    const lib = await library({ 'templates/a/t_v1.yaml': template('1'), 'templates/a/t_v2.yaml': template('2') })
    expect((await lib.resolve('a/t@2.0', 'x.eval.ts')).version).toBe('2')
  })

  it('names the eval file and lists what exists when a template is unknown', async () => {
    const lib = await library({ 'templates/a/t_v1.yaml': template('1'), 'templates/a/t_v2.yaml': template('2') })
    await expect(lib.resolve('a/typo', 'evals/x.eval.ts')).rejects.toMatchObject({
      code: 'ASSAY_TEMPLATE_NOT_FOUND',
      file: 'evals/x.eval.ts',
      message: 'Template "a/typo" was not found in templates/.',
      fix: 'Use one of: a/t (v1, v2).',
    })
  })

  it('says which versions exist when a pinned one does not', async () => {
    const lib = await library({ 'templates/a/t_v1.yaml': template('1') })
    await expect(lib.resolve('a/t@3', 'e.eval.ts')).rejects.toMatchObject({
      code: 'ASSAY_TEMPLATE_NOT_FOUND',
      message: 'Template "a/t" has no version 3 (it has v1).',
    })
  })

  it('tells the user to add a version suffix to an unversioned file', async () => {
    const lib = await library({ 'templates/a/t.yaml': template('1') })
    await expect(lib.resolve('a/t', 'e.eval.ts')).rejects.toMatchObject({
      fix: 'Rename templates/a/t.yaml to end in _v1.yaml: template versions come from the file name.',
    })
  })

  it('reports bad YAML with the file and line', async () => {
    const lib = await library({ 'templates/a/t_v1.yaml': 'user_prompt_template: "x"\nvariables:\n  - name: str\n bad: [\n' })
    await expect(lib.resolve('a/t', 'e.eval.ts')).rejects.toMatchObject({
      code: 'ASSAY_TEMPLATE_INVALID',
      file: 'templates/a/t_v1.yaml',
      line: 4,
    })
  })

  it('names the invalid or unknown field', async () => {
    const lib = await library({ 'templates/a/t_v1.yaml': 'user_prompt_template: "x"\nactive: maybe\nsystem_promt: "typo"\n' })
    const error = await lib.resolve('a/t', 'e.eval.ts').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ASSAY_TEMPLATE_INVALID', file: 'templates/a/t_v1.yaml' })
    expect((error as Error).message).toContain('unknown key "system_promt"')
    expect((error as Error).message).toContain('active:')
  })

  it('refuses a version field that disagrees with the file name', async () => {
    const lib = await library({ 'templates/a/t_v2.yaml': template('3') })
    await expect(lib.resolve('a/t', 'e.eval.ts')).rejects.toMatchObject({
      message: 'version: "3" does not match the file name, which says v2.',
    })
  })

  it('refuses a prompt that uses a variable it does not declare', async () => {
    const lib = await library({ 'templates/a/t_v1.yaml': 'user_prompt_template: "{{name}} {{mood}}"\nvariables:\n  name: str\n' })
    await expect(lib.resolve('a/t', 'e.eval.ts')).rejects.toMatchObject({
      message: 'user_prompt_template uses {{mood}}, which variables does not declare.',
    })
  })

  it('refuses a handlebars syntax error', async () => {
    const lib = await library({ 'templates/a/t_v1.yaml': 'user_prompt_template: "{{#if name}}open"\n' })
    await expect(lib.resolve('a/t', 'e.eval.ts')).rejects.toMatchObject({ code: 'ASSAY_TEMPLATE_INVALID' })
  })

  it('reads the seed format: dates, validation and examples', async () => {
    const lib = await library({
      'templates/writer/write_chapter_v1.yaml': `version: "1.0"
agent: writer
task: write_chapter
created: 2025-01-20
author: system
active: true
system_prompt: |
  You are the Writer.
user_prompt_template: |
  Write Chapter {{chapter_number}}
variables:
  - chapter_number: int
validation:
  min_length: 1000
  max_length: 5000
  expected_language: "{{language}}"
examples:
  - input: { chapter_number: 1 }
    output: The morning sun...
    genre: fantasy
`,
    })
    const resolved = await lib.resolve('writer/write_chapter', 'e.eval.ts')
    expect(resolved.validation).toEqual({ min_length: 1000, max_length: 5000, expected_language: '{{language}}' })
    expect(resolved.examples?.[0]).toMatchObject({ output: 'The morning sun...', genre: 'fantasy' })
    expect(resolved.variables?.get('chapter_number')).toEqual({ type: 'int', optional: false })
  })
})
