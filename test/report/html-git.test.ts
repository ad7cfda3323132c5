import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { HtmlReporter } from '../../src/report/html/index.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'
import { createWorkspace } from '../helpers/workspace.js'

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('git', ['-c', 'user.name=assay', '-c', 'user.email=assay@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd })
  return stdout.trim()
}

describe('HtmlReporter and git', () => {
  it('names the commit asked for while the run went on, and asks again on the next run of a watch', async () => {
    const workspace = await createWorkspace({ 'a.txt': 'one\n' })
    await git(workspace.root, 'init', '-q', '-b', 'main')
    await git(workspace.root, 'add', '.')
    await git(workspace.root, 'commit', '-q', '-m', 'one')
    const first = await git(workspace.root, 'rev-parse', '--short', 'HEAD')
    const file = join(workspace.root, 'reports/index.html')
    const reporter = new HtmlReporter(file, workspace.root)
    const results = runOf([evalOf('greet', [caseOf('ada', [judged()])])])
    const start = { evals: 1, cases: 1, samples: 1, record: 'replay' as const, warnings: [], activity: { callsInFlight: () => 0 } }

    reporter.onRunStart(start)
    reporter.prepare()
    await reporter.onRunEnd(results)
    expect(await readFile(file, 'utf8')).toContain(first)

    await writeFile(join(workspace.root, 'a.txt'), 'two\n')
    await git(workspace.root, 'commit', '-q', '-am', 'two')
    const second = await git(workspace.root, 'rev-parse', '--short', 'HEAD')
    reporter.onRunStart(start)
    reporter.prepare()
    await reporter.onRunEnd(results)
    const page = await readFile(file, 'utf8')
    expect(page).toContain(second)
    expect(page).not.toContain(first)
  })
})
