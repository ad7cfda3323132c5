import { readFileSync, readdirSync, statSync } from 'node:fs'
import yaml from 'js-yaml'
import { join, relative } from 'pathe'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startFakeOllama } from '../helpers/ollama-server.js'
import { createWorkspace } from '../helpers/workspace.js'

/** Every file under `root` with its text and modification time, to prove a second init changed nothing. */
function snapshot(root: string): Record<string, { text: string; mtimeMs: number }> {
  const files: Record<string, { text: string; mtimeMs: number }> = {}
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else files[relative(root, path)] = { text: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs }
    }
  }
  walk(root)
  return files
}

// What a small model might answer, in the language each starter case asks for.
function summary(prompt: string): string {
  return prompt.includes('marché')
    ? 'Le marché couvert rouvre samedi après deux ans de travaux, et les producteurs locaux ont un nouvel espace le mercredi.'
    : 'The old ferry pier closes for repairs from March to October; ferries use the north quay, and the first crossing moves to 7:15.'
}

describe('assay init', () => {
  it('makes a project in an empty folder that list, run --dry-run and run work in, and a second init changes nothing', async () => {
    const workspace = await createWorkspace()
    const init = await runCli(['init', '--model', 'llama3.2'], { cwd: workspace.root })
    expect(init.code).toBe(0)
    expect(init.stderr).toBe('')
    for (const file of ['assay.config.ts', 'evals/templates/summarizer/summarize_v1.yaml', 'golden/summaries.jsonl', 'evals/summarize.eval.ts']) {
      expect(init.stdout).toContain(`created  ${file}`)
    }
    expect(init.stdout).toContain('updated  .gitignore (added .assay/, reports/)')
    expect(readFileSync(join(workspace.root, '.gitignore'), 'utf8')).toMatch(/^\.assay\/\nreports\/\n$/m)

    const list = await runCli(['list'], { cwd: workspace.root })
    expect(list.code).toBe(0)
    expect(list.stdout).toContain('summarizer: summarize  (template summarizer/summarize@1, model llama3.2; 2 cases)')
    expect(list.stdout).not.toContain('warning')

    const dryRun = await runCli(['run', '--dry-run'], { cwd: workspace.root })
    expect(dryRun.code).toBe(0)
    expect(dryRun.stdout).toMatch(/summarizer: summarize: 2 calls, 0 in fixtures, 0 in the cache, 2 to the model \(~\d+ prompt tokens/)

    const server = await startFakeOllama({ respond: (request) => summary(request.messages.at(-1)!.content) })
    const run = await runCli(['run'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.stdout).toContain('Cases     2 passed (2)')
    expect(run.code).toBe(0)
    expect(server.requests.map((request) => request.model)).toEqual(['llama3.2', 'llama3.2'])
    expect(readdirSync(join(workspace.root, 'fixtures/summarizer-summarize'))).toHaveLength(2)

    const before = snapshot(workspace.root)
    const again = await runCli(['init', '--model', 'llama3.2'], { cwd: workspace.root })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('skipped  assay.config.ts (it exists; left as it was)')
    expect(again.stdout).toContain('Nothing to do: every file is already there, and no file was changed.')
    expect(snapshot(workspace.root)).toEqual(before)
  })

  it('adds to an existing project without overwriting its files, and writes a replaying GitHub workflow on request', async () => {
    const config = "import { defineConfig } from 'assay'\nexport default defineConfig({ concurrency: 1 })\n"
    const workspace = await createWorkspace({ 'assay.config.ts': config, '.gitignore': 'node_modules\n/reports/*' })
    const project = await runCli(['init', '--dir', '.', '--ci', 'github', '--model', 'qwen2.5:7b'], { cwd: workspace.root })
    expect(project.code).toBe(0)
    expect(project.stdout).toContain('skipped  assay.config.ts (it exists; left as it was)')
    expect(project.stdout).toContain('created  .github/workflows/assay.yml')
    expect(project.stdout).toContain('updated  .gitignore (added .assay/)')
    expect(readFileSync(join(workspace.root, 'assay.config.ts'), 'utf8')).toBe(config)
    expect(readFileSync(join(workspace.root, '.gitignore'), 'utf8')).toBe('node_modules\n/reports/*\n\n# assay: the local response cache and the reports of each run\n.assay/\n')
    expect(readFileSync(join(workspace.root, 'evals/summarize.eval.ts'), 'utf8')).toContain("model: 'qwen2.5:7b',")
    const workflow = yaml.load(readFileSync(join(workspace.root, '.github/workflows/assay.yml'), 'utf8')) as { jobs: { evals: { steps: { run?: string }[] } } }
    expect(workflow.jobs.evals.steps.map((step) => step.run).filter(Boolean)).toEqual(['npm ci', 'npx assay run'])

    // A second init with no --model keeps the eval, so its next steps cannot name the default model.
    const again = await runCli(['init'], { cwd: workspace.root })
    expect(again.stdout).toContain('skipped  evals/summarize.eval.ts (it exists; left as it was)')
    expect(again.stdout).toContain("npx assay doctor          Ollama up, the eval's model pulled, fixtures and prompts in shape")
    expect(again.stdout).not.toContain('llama3.2')
  })

  it('makes the folder it is given', async () => {
    const workspace = await createWorkspace()
    const init = await runCli(['init', 'app'], { cwd: workspace.root })
    expect(init.code).toBe(0)
    expect(init.stdout).toContain('assay init in app')
    expect(init.stdout).toContain('cd app')
    expect(readFileSync(join(workspace.root, 'app/evals/summarize.eval.ts'), 'utf8')).toContain("model: 'llama3.2',")
  })

  it('refuses a model name that is not one, and two different folders, with exit 2', async () => {
    const workspace = await createWorkspace()
    const bad = await runCli(['init', '--model', "x'); process.exit(0); ('"], { cwd: workspace.root })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('is not a model name')
    expect(readdirSync(workspace.root)).toEqual([])
    const two = await runCli(['init', 'a', '--dir', 'b'], { cwd: workspace.root })
    expect(two.code).toBe(2)
    expect(two.stderr).toContain('assay init got two folders')
  })
})
