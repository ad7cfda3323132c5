import Handlebars from 'handlebars'
import { describe, expect, it } from 'vitest'
import { renderPrompt } from '../../src/templates/render.js'
import type { PromptTemplate, VariableDeclaration } from '../../src/templates/schema.js'
import { usedVariables } from '../../src/templates/variables.js'

function template(user: string, variables?: Record<string, VariableDeclaration>, system = ''): PromptTemplate {
  return {
    name: 'writer/write_chapter',
    version: '2',
    file: 'evals/templates/writer/write_chapter_v2.yaml',
    active: true,
    systemPrompt: system,
    userPromptTemplate: user,
    variables: variables && new Map(Object.entries(variables)),
    validation: undefined,
    examples: undefined,
    partials: new Map(),
    warnings: [],
  }
}

const target = { evalName: 'writer: chapter', caseId: 'dragon' }
const str = { type: 'str', optional: false } as const

describe('renderPrompt', () => {
  it('renders system and user prompts without HTML escaping', () => {
    const rendered = renderPrompt(template('Title: {{title}}', { title: str }, 'System {{title}}'), { title: `<b>"Tom & Jerry"</b>` }, target)
    expect(rendered).toEqual({ system: `System <b>"Tom & Jerry"</b>`, user: `Title: <b>"Tom & Jerry"</b>` })
  })

  it('names the template file, the variable and the case when a variable is missing', () => {
    expect(() => renderPrompt(template('{{title}}', { title: str }), {}, target)).toThrowError(
      expect.objectContaining({
        code: 'ASSAY_TEMPLATE_VARIABLE',
        file: 'evals/templates/writer/write_chapter_v2.yaml',
        message: 'Case "dragon" of eval "writer: chapter" is missing variable "title" (str) for template writer/write_chapter@2.',
      }),
    )
  })

  it('names the expected and actual type of a mistyped variable', () => {
    expect(() => renderPrompt(template('{{n}}', { n: { type: 'int', optional: false } }), { n: 'three' }, target)).toThrowError(
      /has variable "n" of the wrong type: expected int, got the string "three"/,
    )
    expect(() => renderPrompt(template('{{n}}', { n: { type: 'int', optional: false } }), { n: 2.5 }, target)).toThrowError(/expected int, got number 2.5/)
  })

  it('lets an optional variable be left out, and {{#if}} sees it as empty', () => {
    const t = template('A{{#if context}} [{{context}}]{{/if}}', { context: { type: 'str', optional: true } })
    expect(renderPrompt(t, {}, target).user).toBe('A')
    expect(renderPrompt(t, { context: 'ctx' }, target).user).toBe('A [ctx]')
  })

  it('is strict without declarations too: a missing variable is an error, never ""', () => {
    expect(() => renderPrompt(template('Hi {{who}}'), {}, target)).toThrowError(
      expect.objectContaining({ code: 'ASSAY_TEMPLATE_VARIABLE', message: expect.stringContaining('is missing variable "who"') }),
    )
  })

  it('renders lists, objects and the json helper', () => {
    const t = template('{{#each items}}- {{this}}\n{{/each}}{{json meta}}', { items: { type: 'list', optional: false }, meta: { type: 'dict', optional: false } })
    expect(renderPrompt(t, { items: ['a', 'b'], meta: { k: 1 } }, target).user).toBe('- a\n- b\n{\n  "k": 1\n}')
  })

  it('gives a part without {{ back exactly as handlebars renders it: backslashes, braces, blank lines, unicode', () => {
    const texts = ['You summarise news items.', 'Braces { } and }} and {single}', 'Back\\slash \\{ and \\\\', '  indented\n\n\ttab\r\nCRLF  ', 'ünï © 😀 <b>&amp;</b>', '', '{ {not a mustache} }']
    for (const text of texts) {
      const expected = Handlebars.create().compile(text, { noEscape: true, strict: true })({})
      expect(renderPrompt(template(text, undefined, text), {}, target)).toEqual({ system: expected, user: expected })
    }
  })
})

describe('usedVariables', () => {
  it('finds top-level names in mustaches, helper params and if blocks, not inside each/with bodies', () => {
    const used = usedVariables('{{a}} {{#if b}}{{c}}{{/if}} {{json d}} {{#each items}}{{name}}{{@index}}{{/each}} {{#with e}}{{f}}{{/with}} {{this}}')
    expect([...used].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'items'])
  })
})
