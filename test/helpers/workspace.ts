import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'pathe'
import { onCleanup } from './cleanup.js'

export interface Workspace {
  root: string
  write(path: string, content: string): Promise<void>
  remove(): Promise<void>
}

/** A throwaway project folder with the given files, for tests that need real files. */
export async function createWorkspace(files: Record<string, string> = {}): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), 'assay-test-'))
  const write = async (path: string, content: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), content)
  }
  for (const [path, content] of Object.entries(files)) await write(path, content)
  const remove = () => rm(root, { recursive: true, force: true })
  onCleanup(remove)
  return { root, write, remove }
}

/** A small valid workspace: one template (two versions), golden cases, and an eval using them. */
export const basicWorkspace: Record<string, string> = {
  'evals/templates/greeter/greet_v1.yaml': `version: "1"
system_prompt: You greet people.
user_prompt_template: "Greet {{name}}."
variables:
  - name: str
`,
  'evals/templates/greeter/greet_v2.yaml': `version: "2"
system_prompt: You greet people warmly.
user_prompt_template: "Greet {{name}} from {{city}}."
variables:
  - name: str
  - city: str
`,
  'golden/people.jsonl': `{"name": "ada", "vars": {"name": "Ada", "city": "London"}}
{"name": "alan", "vars": {"name": "Alan", "city": "Wilmslow"}}
`,
  'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'

evaluate('greet', {
  template: 'greeter/greet',
  model: 'llama3.2',
  options: { temperature: 0 },
  cases: 'golden/people.jsonl',
  assert: [assert.contains('Greet'), assert.length({ max: 200 })],
})
`,
}
