import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { renderPrompt } from '../../src/templates/render.js'
import { TemplateLibrary } from '../../src/templates/library.js'
import { createWorkspace } from '../helpers/workspace.js'

const target = { evalName: 'e', caseId: 'c' }
const template = (user: string, system = '') => `system_prompt: ${JSON.stringify(system)}\nuser_prompt_template: ${JSON.stringify(user)}\nvariables:\n  - name: str\n`

async function library(files: Record<string, string>) {
  const workspace = await createWorkspace(files)
  return TemplateLibrary.open(workspace.root, 'evals/templates')
}

describe('partials', () => {
  it('include shared text from partials/ (.md, then .txt, subfolders too), unescaped, with the template variables', async () => {
    const templates = await library({
      'evals/templates/a/t_v1.yaml': template('{{> safety/short}}\nHello {{name}}.', '{{> style}}'),
      'evals/templates/partials/style.md': 'Write plainly for {{name}} & friends.',
      'evals/templates/partials/style.txt': 'never read: .md comes first',
      'evals/templates/partials/safety/short.txt': 'Refuse <unsafe> requests.\n',
    })
    const loaded = await templates.resolve('a/t', 'evals/a.eval.ts')
    expect([...loaded.partials.values()].map((partial) => partial.file)).toEqual(['evals/templates/partials/style.md', 'evals/templates/partials/safety/short.txt'])
    expect(renderPrompt(loaded, { name: 'Ada <3' }, target)).toEqual({ system: 'Write plainly for Ada <3 & friends.', user: 'Refuse <unsafe> requests.\nHello Ada <3.' })
  })

  it('follow partials included by partials, and refuse a loop', async () => {
    const nested = await library({
      'evals/templates/a/t_v1.yaml': template('{{> outer}}'),
      'evals/templates/partials/outer.md': '[{{> inner}}]',
      'evals/templates/partials/inner.md': 'in {{name}}',
    })
    const loaded = await nested.resolve('a/t', 'x')
    expect(renderPrompt(loaded, { name: 'X' }, target).user).toBe('[in X]')

    const looped = await library({
      'evals/templates/a/t_v1.yaml': template('{{> one}}'),
      'evals/templates/partials/one.md': '{{> two}}',
      'evals/templates/partials/two.md': '{{> one}}',
    })
    await expect(looped.resolve('a/t', 'x')).rejects.toMatchObject({ code: 'ASSAY_TEMPLATE_INVALID', message: 'Partial "one" includes itself (one → two → one).', file: 'evals/templates/partials/two.md' })
  })

  it('name a missing partial, the places looked and the template that includes it', async () => {
    const templates = await library({ 'evals/templates/a/t_v1.yaml': template('{{> style/guide}} {{name}}') })
    await expect(templates.resolve('a/t', 'x')).rejects.toMatchObject({
      code: 'ASSAY_TEMPLATE_INVALID',
      file: 'evals/templates/a/t_v1.yaml',
      message: 'user_prompt_template includes {{> style/guide}}, but there is no partial "style/guide" (looked for evals/templates/partials/style/guide.md and evals/templates/partials/style/guide.txt).',
      fix: 'Create evals/templates/partials/style/guide.md with the shared text, or correct the name.',
    })
  })

  it('refuse a partial that is not UTF-8, naming its file and line, and drop a byte-order mark', async () => {
    const workspace = await createWorkspace({ 'evals/templates/a/t_v1.yaml': template('{{> latin}} {{> marked}} {{name}}') })
    await mkdir(join(workspace.root, 'evals/templates/partials'), { recursive: true })
    await writeFile(join(workspace.root, 'evals/templates/partials/marked.md'), '\uFEFFmarked')
    await writeFile(join(workspace.root, 'evals/templates/partials/latin.md'), Buffer.from('ok\ncaf\xe9', 'latin1'))
    const templates = await TemplateLibrary.open(workspace.root, 'evals/templates')
    await expect(templates.resolve('a/t', 'x')).rejects.toMatchObject({ code: 'ASSAY_TEMPLATE_INVALID', file: 'evals/templates/partials/latin.md', line: 2 })
    await writeFile(join(workspace.root, 'evals/templates/partials/latin.md'), 'café')
    const fixed = await TemplateLibrary.open(workspace.root, 'evals/templates')
    expect(renderPrompt(await fixed.resolve('a/t', 'x'), { name: 'N' }, target).user).toBe('café marked N')
  })

  it('check the variables a partial reads against the template declarations', async () => {
    const templates = await library({ 'evals/templates/a/t_v1.yaml': template('{{> tone}}'), 'evals/templates/partials/tone.md': 'Tone: {{tone}}' })
    await expect(templates.resolve('a/t', 'x')).rejects.toMatchObject({
      message: 'the partial evals/templates/partials/tone.md (in user_prompt_template) uses {{tone}}, which variables does not declare.',
      file: 'evals/templates/a/t_v1.yaml',
    })
  })

  it('refuse partials with arguments, computed names or paths out of partials/', async () => {
    for (const user of ['{{> style name}}', '{{> (lookup . "p")}}', '{{#> style}}x{{/style}}']) {
      const templates = await library({ 'evals/templates/a/t_v1.yaml': template(user), 'evals/templates/partials/style.md': 's' })
      await expect(templates.resolve('a/t', 'x')).rejects.toMatchObject({ code: 'ASSAY_TEMPLATE_INVALID', message: expect.stringContaining('partials are written {{> name}}') })
    }
    const escaping = await library({ 'evals/templates/a/t_v1.yaml': template('{{> ../secret}}') })
    await expect(escaping.resolve('a/t', 'x')).rejects.toMatchObject({ message: 'user_prompt_template includes {{> ../secret}}, which is not a partial name.' })
  })

  it('do not count YAML files under partials/ as templates', async () => {
    const templates = await library({ 'evals/templates/a/t_v1.yaml': template('hi'), 'evals/templates/partials/notes_v1.yaml': 'user_prompt_template: x' })
    await expect(templates.resolve('partials/notes', 'x')).rejects.toMatchObject({ code: 'ASSAY_TEMPLATE_NOT_FOUND' })
  })
})
