import { describe, expect, it } from 'vitest'
import { AggregateAssayError, type AssayError } from '../../src/errors.js'
import { TemplateLibrary } from '../../src/templates/library.js'
import { renderPrompt } from '../../src/templates/render.js'
import { runCli } from '../helpers/cli.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

async function load(yaml: string) {
  const workspace = await createWorkspace({ 'templates/w/chapter_v1.yaml': yaml })
  return (await TemplateLibrary.open(workspace.root, 'templates')).resolve('w/chapter', 'w.eval.ts')
}

async function problems(yaml: string): Promise<AssayError[]> {
  const error = await load(yaml).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (error instanceof AggregateAssayError) return error.errors
  if (error === undefined) return []
  return [error as AssayError]
}

// The seed's format, as ported: Python str.format placeholders.
const PORTED = `version: "1"
system_prompt: |
  You are the Writer. Write in {language}.
user_prompt_template: |
  Write Chapter {{chapter_number}}: "{chapter_title}"

  OUTLINE: {{outline}}
variables:
  - chapter_number: int
  - chapter_title: str
  - language: str
  - outline: str
validation:
  expected_language: "{language}"
`

describe('template lint', () => {
  it('makes a single-brace placeholder for a declared variable an error naming the file, the line and the fix', async () => {
    const found = await problems(PORTED)
    expect(found.map(({ code, file, line, message, fix }) => ({ code, file, line, message, fix }))).toEqual([
      {
        code: 'ASSAY_TEMPLATE_INVALID',
        file: 'templates/w/chapter_v1.yaml',
        line: 3,
        message: `system_prompt has {language}, a single-brace placeholder: it reaches the model as the text "{language}", not the case's language.`,
        fix: 'Write {{language}}. Braces meant literally go inside {{{{raw}}}}...{{{{/raw}}}} (docs/templates.md, "Literal braces").',
      },
      {
        code: 'ASSAY_TEMPLATE_INVALID',
        file: 'templates/w/chapter_v1.yaml',
        line: 5,
        message: `user_prompt_template has {chapter_title}, a single-brace placeholder: it reaches the model as the text "{chapter_title}", not the case's chapter_title.`,
        fix: 'Write {{chapter_title}}. Braces meant literally go inside {{{{raw}}}}...{{{{/raw}}}} (docs/templates.md, "Literal braces").',
      },
      {
        code: 'ASSAY_TEMPLATE_INVALID',
        file: 'templates/w/chapter_v1.yaml',
        line: 14,
        message: 'validation.expected_language is "{language}", a single-brace placeholder.',
        fix: 'Write expected_language: "{{language}}" to take the language from the case.',
      },
    ])
  })

  it('finds the line of a placeholder in a quoted one-line prompt and inside blocks', async () => {
    const found = await problems(`user_prompt_template: "Summarise {{text}} for {audience}"
variables: { text: str, audience: str, tone: str? }
`)
    expect(found.map((error) => [error.line, error.message.slice(0, 40)])).toEqual([[1, 'user_prompt_template has {audience}, a s']])
    const nested = await problems(`user_prompt_template: |
  Summarise {{text}}.
  {{#if tone}}
  Keep a {tone} tone.
  {{/if}}
variables: { text: str, tone: str? }
`)
    expect(nested.map((error) => error.line)).toEqual([4])
  })

  it('leaves braces alone that name no declared variable, are doubled, escaped or inside a raw block', async () => {
    const template = await load(`user_prompt_template: |
  Answer as JSON: {"title": "...", "tags": [{name}]} about {{topic}}.
  Literally: {{{{raw}}}}{topic} and {{topic}}{{{{/raw}}}}, and \\{{topic}}.
variables:
  - topic: str
`)
    expect(template.warnings).toEqual([])
    const rendered = renderPrompt(template, { topic: 'tides' }, { evalName: 'e', caseId: 'c' })
    expect(rendered.user).toBe('Answer as JSON: {"title": "...", "tags": [{name}]} about tides.\nLiterally: {topic} and {{topic}}, and {{topic}}.\n')
  })

  it('warns about a declared variable no prompt uses, unless few-shot examples are picked by it', async () => {
    const template = await load(`user_prompt_template: "Write about {{topic}}"
variables:
  - topic: str
  - tone: str
  - genre: str
examples:
  - input: { topic: tides, tone: calm, genre: essay }
    output: Tides come and go.
    genre: essay
`)
    expect(template.warnings).toEqual([
      {
        file: 'templates/w/chapter_v1.yaml',
        line: 4,
        message: 'Variable "tone" is declared, but neither prompt uses it.',
        fix: 'Use {{tone}} in a prompt, or remove it from variables.',
      },
    ])
  })

  it('counts a variable used by validation.expected_language as used', async () => {
    const template = await load(`user_prompt_template: "Write about {{topic}}"
variables: { topic: str, language: str }
validation: { expected_language: "{{language}}" }
`)
    expect(template.warnings).toEqual([])
  })

  it('reports every undeclared name and every single-brace placeholder of a template at once', async () => {
    const found = await problems(`system_prompt: "Write in {language}."
user_prompt_template: "Write about {{topic}} for {{reader}}"
variables: { language: str, topic: str }
`)
    expect(found.map((error) => [error.line, error.message])).toEqual([
      [1, `system_prompt has {language}, a single-brace placeholder: it reaches the model as the text "{language}", not the case's language.`],
      [2, 'user_prompt_template uses {{reader}}, which variables does not declare.'],
    ])
  })
})

describe('template lint with partials', () => {
  it('counts a variable a partial reads as used, and flags a single-brace placeholder in a partial with its file and line', async () => {
    const workspace = await createWorkspace({
      'templates/w/chapter_v1.yaml': 'system_prompt: "{{> style}}"\nuser_prompt_template: "Write about {{topic}}"\nvariables: { topic: str, tone: str }\n',
      'templates/partials/style.md': 'Keep a {{tone}} tone.\n',
    })
    const library = await TemplateLibrary.open(workspace.root, 'templates')
    expect((await library.resolve('w/chapter', 'w.eval.ts')).warnings).toEqual([])
    await workspace.write('templates/w/chapter_v2.yaml', 'system_prompt: "{{> ported}}"\nuser_prompt_template: "Write about {{topic}}"\nvariables: { topic: str, tone: str }\n')
    await workspace.write('templates/partials/ported.md', 'Be brief.\nKeep a {tone} tone.\n')
    const error = await (await TemplateLibrary.open(workspace.root, 'templates')).resolve('w/chapter@2', 'w.eval.ts').catch((thrown: unknown) => thrown as AssayError)
    expect(error).toMatchObject({ file: 'templates/partials/ported.md', line: 2, fix: expect.stringContaining('Write {{tone}}.') })
  })
})

describe('assay list checks templates like code', () => {
  it('lists warnings for unused variables and exits 0', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/templates/greeter/greet_v2.yaml': 'user_prompt_template: "Greet {{name}}."\nvariables:\n  - name: str\n  - city: str\n',
    })
    const list = await runCli(['list'], { cwd: workspace.root })
    expect(list.code).toBe(0)
    expect(list.stdout).toContain(`1 eval

1 warning:
  evals/templates/greeter/greet_v2.yaml:4: Variable "city" is declared, but neither prompt uses it.
    Fix: Use {{city}} in a prompt, or remove it from variables.
`)
  })

  it('exits 2 naming the file, the line and the fix for a ported {name} placeholder', async () => {
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'evals/templates/greeter/greet_v2.yaml': 'user_prompt_template: |\n  Greet {name} from {{city}}.\nvariables:\n  - name: str\n  - city: str\n',
    })
    const list = await runCli(['list'], { cwd: workspace.root })
    expect(list.code).toBe(2)
    expect(list.stderr).toContain('ASSAY_TEMPLATE_INVALID evals/templates/greeter/greet_v2.yaml:2: user_prompt_template has {name}, a single-brace placeholder')
    expect(list.stderr).toContain('Fix: Write {{name}}.')
    expect(list.stderr).not.toMatch(/\n\s+at /)
  })
})
