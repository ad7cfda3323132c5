import { existsSync, readFileSync } from 'node:fs'
import { join } from 'pathe'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { initCommand } from '../../src/cli/init.js'
import { createWorkspace } from '../helpers/workspace.js'

const context = { cwd: process.cwd(), env: {}, stdout: process.stdout, stderr: process.stderr }

afterEach(() => {
  vi.restoreAllMocks()
})

describe('assay init on a terminal', () => {
  it('asks only what no flag answered, and uses the answers', async () => {
    const workspace = await createWorkspace()
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const asked: string[] = []
    const ask = async (question: string) => {
      asked.push(question)
      return question.startsWith('Ollama model') ? 'qwen2.5:7b' : 'y'
    }
    expect(await initCommand(workspace.root, {}, context, ask)).toBe(0)
    expect(asked).toEqual(['Ollama model to evaluate', 'Add a GitHub Actions workflow that replays fixtures? (y/N)'])
    expect(readFileSync(join(workspace.root, 'evals/summarize.eval.ts'), 'utf8')).toContain("model: 'qwen2.5:7b',")
    expect(existsSync(join(workspace.root, '.github/workflows/assay.yml'))).toBe(true)

    const other = await createWorkspace()
    asked.length = 0
    expect(await initCommand(other.root, { model: 'llama3.2', ci: 'none' }, context, ask)).toBe(0)
    expect(asked).toEqual([])
    expect(existsSync(join(other.root, '.github'))).toBe(false)
  })
})
