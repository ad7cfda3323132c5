import { readFile } from 'node:fs/promises'
import { XMLValidator } from 'fast-xml-parser'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { createWorkspace } from '../helpers/workspace.js'

/** What a hostile model or server would put in front of a CI log and a terminal. */
const FORGED = [
  'ok',
  '::error file=evals/x.eval.ts,line=1,title=forged::the model wrote this',
  '  ::add-mask::sk-live-abc',
  '::stop-commands::pwned',
  '##[error]old-style command',
  '\u001b[2J\u001b[H\u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007\u001b]0;title\u0007\rOVERWRITE\u009b31m',
].join('\n')

const template = `version: "1"
system_prompt: You greet people.
user_prompt_template: "Greet {{name}}."
variables:
  - name: str
`

const evalFile = `import { assert, evaluate } from 'assay'
evaluate('hostile', {
  template: 'greeter/greet',
  model: 'llama3.2',
  options: { temperature: 0, seed: 1 },
  cases: 'golden/people.jsonl',
  assert: [assert.judge({ rubric: 'A greeting.' })],
})
`

describe('model text and case data in front of a terminal and GitHub Actions', () => {
  it('create no workflow command, move no cursor and stay readable, in the console, annotations and junit.xml', async () => {
    const workspace = await createWorkspace({
      'evals/templates/greeter/greet_v1.yaml': template,
      'evals/hostile.eval.ts': evalFile,
      // A case name is data too: newline, forged command, escape sequences.
      'golden/people.jsonl': `${JSON.stringify({ name: 'ada\n::error::from the case name\u001b[31m', vars: { name: 'Ada' } })}\n${JSON.stringify({ name: 'bob', vars: { name: 'Bob' } })}\n${JSON.stringify({ name: 'cy', vars: { name: 'Cy' } })}\n`,
    })
    const server = await startFakeOllama({
      respond: (request) => {
        const system = request.messages[0]!.content
        if (system.startsWith('You are a strict, fair grader.')) return JSON.stringify({ score: 0.1, reason: FORGED })
        const user = request.messages.at(-1)!.content
        if (user === 'Greet Cy.') return { status: 400, error: FORGED }
        return FORGED
      },
    })
    const run = await runCli(['run', '--record', 'new', '--reporter', 'default,junit,github'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(1)
    const output = `${run.stdout}${run.stderr}`
    // Nothing that acts: no ESC, BEL, CR or C1 byte at all (colour is off), no command but assay's own.
    expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    const commands = output.split('\n').filter((line) => /^\s*::/.test(line) || line.includes('##['))
    expect(commands.map((line) => line.slice(0, line.indexOf('::', 2) + 2))).toEqual([
      '::error file=evals/hostile.eval.ts,title=assay%3A hostile::',
      '::error file=evals/hostile.eval.ts,title=hostile > ada%0A%3A%3Aerror%3A%3Afrom the case name\\u001b[31m::',
      '::error file=evals/hostile.eval.ts,title=hostile > bob::',
      '::error file=evals/hostile.eval.ts,title=hostile > cy::',
    ])
    // Each annotation is one line; the forged lines are inside its escaped data.
    expect(commands[2]).toBe(
      '::error file=evals/hostile.eval.ts,title=hostile > bob::judge >= 0.7: A greeting.: 0.1 < 0.7: ok%0A::error file=evals/x.eval.ts,line=1,title=forged::the model wrote this%0A  ::add-mask::sk-live-abc%0A::stop-commands::pwned%0A##[error]old-style command%0A\\u001b[2J\\u001b[H\\u001b]8;;http://evil.example\\u0007click\\u001b]8;;\\u0007\\u001b]0;title\\u0007%0DOVERWRITE\\u009b31m',
    )
    // The console shows the text, inert and visible.
    expect(run.stdout).toContain(
      [
        '     ✗ bob',
        '         judge >= 0.7: A greeting.: 0.1 < 0.7: ok',
        '         \\u003a:error file=evals/x.eval.ts,line=1,title=forged::the model wrote this',
        '           \\u003a:add-mask::sk-live-abc',
        '         \\u003a:stop-commands::pwned',
        '         #\\u0023[error]old-style command',
        '         \\u001b[2J\\u001b[H\\u001b]8;;http://evil.example\\u0007click\\u001b]8;;\\u0007\\u001b]0;title\\u0007\\u000dOVERWRITE\\u009b31m',
      ].join('\n'),
    )
    expect(run.stdout).toContain('     ✗ ada\\u000a::error::from the case name\\u001b[31m\n')
    expect(run.stdout).toMatch(/ {5}! cy\n {9}ASSAY_PROVIDER_FAILED Ollama at \S+ failed with HTTP 400: ok\n {9}\\u003a:error file=evals\/x\.eval\.ts/)
    const junit = await readFile(join(workspace.root, 'reports/junit.xml'), 'utf8')
    expect(XMLValidator.validate(junit)).toBe(true)
    expect(junit).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
    expect(junit).toContain('\\u001b]8;;http://evil.example\\u0007click')
  })
})
