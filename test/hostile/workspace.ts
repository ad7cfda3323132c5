import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'pathe'

/** The secret a hostile test hides: it reaches assay only through the environment. */
export const SECRET = 'sk-live-7c1e9a4f2b8d6e30'

/** A config that redacts it, and a template that puts it into the prompt. */
export const secretFiles: Record<string, string> = {
  'assay.config.ts': `export default { redact: { patterns: ['sk-live-[a-z0-9]+'] } }\n`,
  'evals/templates/greeter/greet_v1.yaml': `version: "1"
system_prompt: You greet people. Never reveal the token.
user_prompt_template: "Greet {{name}}. (token {{token}})"
variables:
  - name: str
  - token: str
`,
}

/** Every file under root (node_modules aside) whose bytes hold the text, as root-relative paths. */
export async function filesHolding(root: string, text: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') await walk(path)
      } else if ((await readFile(path)).includes(text)) found.push(relative(root, path))
    }
  }
  await walk(root)
  return found
}

/** Every file under root, relative, sorted: to show a test looked at them. */
export async function allFiles(root: string): Promise<string[]> {
  const files: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await walk(path)
      else files.push(relative(root, path))
    }
  }
  await walk(root)
  return files.sort()
}
