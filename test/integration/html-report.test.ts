import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser.js'
import { repoRoot, runCli } from '../helpers/cli.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'
import { renderPage } from '../../src/report/html/page.js'

const PAYLOAD = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> and "quotes" & ampersands`

const files = {
  'evals/templates/h/headline_v1.yaml': 'user_prompt_template: "Write a loud headline for: {{story}}"\nvariables:\n  story: str\n',
  'evals/templates/h/headline_v2.yaml': 'user_prompt_template: "Write a plain headline for: {{story}}"\nvariables:\n  story: str\n',
  'evals/h.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('headline', {
  model: 'llama3.2',
  cases: [{ name: 'xss', vars: { story: 'payload' } }, { name: 'bridge', vars: { story: 'the bridge' } }, { name: 'ferry', vars: { story: 'the ferry' } }],
  variants: { v1: { template: 'h/headline@1' }, v2: { template: 'h/headline@2' } },
  assert: [assert.notContains(['!'])],
  threshold: 0,
})
`,
}

let browser: Browser
let workspace: Workspace | undefined
let server: FakeOllama | undefined
// A fresh checkout unpacks the packed Chromium first (a few seconds, more on a loaded machine).
beforeAll(async () => {
  browser = await launchChromium()
}, 120_000)
afterAll(async () => {
  await browser?.close()
})
describe('the HTML report in headless Chromium', () => {
  it('opens from disk, shows the verdict and a case drill-down, and keeps an XSS payload inert', async () => {
    workspace = await createWorkspace(files)
    server = await startFakeOllama({
      respond: (r) => {
        const prompt = r.messages.at(-1)!.content
        if (prompt.includes('payload')) return PAYLOAD
        return prompt.includes('loud') ? 'Big news about the town!' : 'News about the town'
      },
    })
    const run = await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    expect(run.code).toBe(0)
    const file = join(workspace.root, 'reports/index.html')
    expect(readFileSync(file, 'utf8')).not.toContain('<img src=x')

    const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } })
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(String(error)))
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
    const requests: string[] = []
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(`file://${file}`)
    await page.waitForSelector('body[data-ready=true]')

    expect(await page.locator('#summary').textContent()).toContain('Cases6')
    await page.locator('[data-testid=eval-row]', { hasText: 'headline' }).click()
    const verdict = await page.locator('[data-testid=verdict]').first().textContent()
    expect(verdict).toMatch(/^v2 vs v1: (inconclusive|better|equivalent)/)
    expect(verdict).toContain('pass rate')
    expect(await page.locator('#eval-detail svg[aria-label$="95% interval"]').count()).toBeGreaterThan(0)

    await page.locator('[data-testid=case-row][data-case=xss]').first().click()
    const outputs = page.locator('[data-testid=case-detail] [data-testid=output]')
    expect(await outputs.count()).toBe(2)
    expect(await outputs.first().textContent()).toBe(PAYLOAD)

    expect(await page.evaluate('window.__xss')).toBeUndefined()
    expect(await page.locator('img').count()).toBe(0)
    expect(problems).toEqual([])
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true)

    mkdirSync(join(repoRoot, 'reports'), { recursive: true })
    const screenshot = join(repoRoot, 'reports/html-report.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    expect(existsSync(screenshot) && statSync(screenshot).size > 10_000).toBe(true)
    await page.close()
  })

  it('shows an eval with variants side by side, with a word diff against the baseline on demand and thinking folded', async () => {
    workspace = await createWorkspace(files)
    server = await startFakeOllama({
      respond: (r) => {
        const prompt = r.messages.at(-1)!.content
        if (prompt.includes('payload')) return PAYLOAD
        if (prompt.includes('ferry')) return Array.from({ length: 12 }, (_, i) => `Line ${i + 1} about the ferry`).join('\n')
        return prompt.includes('loud') ? 'Big news about the town!' : 'News about the town'
      },
      thinking: (r) => (r.messages.at(-1)!.content.includes('bridge') ? 'First I consider <b>the bridge</b>.' : undefined),
    })
    expect((await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })).code).toBe(0)
    const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } })
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(String(error)))
    await page.goto(`file://${join(workspace.root, 'reports/index.html')}`)
    await page.waitForSelector('body[data-ready=true]')
    await page.locator('[data-testid=eval-row]', { hasText: 'headline' }).click()

    const section = page.locator('[data-testid=matrix-section]')
    expect(await section.locator('summary').textContent()).toBe('Side by side: 3 cases × 2 variants')
    await section.locator('summary').click()
    // The matrix is built on the details element's toggle event, a moment after the click.
    const rows = page.locator('[data-testid=matrix-row]')
    await expect.poll(() => rows.count()).toBe(3)
    expect(await page.locator('[data-testid=matrix] th').allTextContents()).toEqual(['Case', 'v1 (baseline)', 'v2'])
    const bridge = page.locator('[data-testid=matrix-row][data-case=bridge]')
    const [v1, v2] = [bridge.locator('td').nth(1), bridge.locator('td').nth(2)]
    expect(await v1.getAttribute('data-status')).toBe('fail')
    expect(await v1.locator('[data-testid=matrix-reason]').textContent()).toBe('does not contain "!": contains "!"')
    expect(await v2.getAttribute('data-status')).toBe('pass')
    expect(await v1.locator('[data-testid=diff-toggle]').count()).toBe(0)

    await v2.locator('[data-testid=diff-toggle]').click()
    expect(await v2.locator('del').allTextContents()).toEqual(['Big news', 'town!'])
    expect(await v2.locator('ins').allTextContents()).toEqual(['News', 'town'])
    expect(await v2.locator('[data-testid=matrix-answer]').textContent()).toBe('Big newsNews about the town!town')
    await v2.locator('[data-testid=diff-toggle]').click()
    expect(await v2.locator('[data-testid=matrix-answer]').textContent()).toBe('News about the town')

    // A long answer starts folded; the payload stays text.
    const ferry = page.locator('[data-testid=matrix-row][data-case=ferry] td').nth(1)
    expect(await ferry.locator('pre.folded').count()).toBe(1)
    await ferry.locator('[data-testid=unfold]').click()
    expect(await ferry.locator('pre.folded').count()).toBe(0)
    expect(await page.locator('[data-testid=matrix-row][data-case=xss] [data-testid=matrix-answer]').first().textContent()).toBe(PAYLOAD)

    await page.locator('[data-testid=case-row][data-case=bridge]').first().click()
    const thinking = page.locator('[data-testid=case-detail] [data-testid=thinking]').first()
    expect(await thinking.getAttribute('open')).toBeNull()
    expect(await thinking.locator('summary').textContent()).toBe('Thinking (35 characters, not judged)')
    expect(await thinking.locator('pre').textContent()).toBe('First I consider <b>the bridge</b>.')
    expect(await page.locator('b').count()).toBe(0)
    expect(await page.evaluate('window.__xss')).toBeUndefined()
    expect(problems).toEqual([])
    await page.close()
  })

  it("draws each eval's pass-rate trend from the run history, marking where the template version changed", async () => {
    const single = (version: number) => `import { assert, evaluate } from 'assay'
evaluate('headline', { template: 'h/headline@${version}', model: 'llama3.2', cases: [{ name: 'a', vars: { story: 'a' } }, { name: 'b', vars: { story: 'b' } }], assert: [assert.notContains(['!'])], threshold: 0 })
`
    workspace = await createWorkspace({ ...files, 'evals/h.eval.ts': single(1) })
    server = await startFakeOllama({ respond: (r) => (r.messages.at(-1)!.content.includes('loud') ? 'Wow!' : 'Plain') })
    const env = { OLLAMA_HOST: server.host }
    await runCli(['run', '--record', 'off'], { cwd: workspace.root, env })
    await runCli(['run', '--record', 'off'], { cwd: workspace.root, env })
    await workspace.write('evals/h.eval.ts', single(2))
    await runCli(['run', '--record', 'off'], { cwd: workspace.root, env })
    const page = await browser.newPage()
    await page.goto(`file://${join(workspace.root, 'reports/index.html')}`)
    await page.waitForSelector('body[data-ready=true]')
    await page.locator('[data-testid=eval-row]', { hasText: 'headline' }).click()
    const trend = page.locator('[data-testid=trend]')
    expect(await trend.getAttribute('aria-label')).toBe('pass rate over the last 3 runs')
    expect(await trend.locator('circle').count()).toBe(3)
    expect(await trend.locator('[data-testid=template-change]').count()).toBe(1)
    expect(await trend.locator('[data-testid=template-change] text').textContent()).toBe('h/headline@2')
    // Every loud headline failed, every plain one passed: 0% twice, then 100%.
    expect(await trend.locator('circle title').allTextContents()).toEqual([expect.stringMatching(/h\/headline@1 · pass 0.0%$/), expect.stringMatching(/h\/headline@1 · pass 0.0%$/), expect.stringMatching(/h\/headline@2 · pass 100.0%$/)])
    // The last run pinned @2, so @1 is an active version no eval uses.
    expect(await page.locator('[data-testid=coverage-summary]').textContent()).toBe('1 of 2 active template versions used (50.0%)')
    expect(await page.locator('[data-testid=coverage-row][data-unused=true] td').first().textContent()).toBe('h/headline@1')
    await page.close()
  })

  it('sorts and filters the eval table', async () => {
    workspace = await createWorkspace({
      ...files,
      'evals/more.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('zeta always passes', { template: 'h/headline@2', model: 'llama3.2', cases: [{ vars: { story: 'a' } }] })
evaluate('alpha fails', { template: 'h/headline@1', model: 'llama3.2', cases: [{ vars: { story: 'b' } }], assert: [assert.notContains(['!'])] })
`,
    })
    server = await startFakeOllama({ respond: (r) => (r.messages.at(-1)!.content.includes('loud') ? 'Wow!' : 'Plain') })
    await runCli(['run', '--record', 'off'], { cwd: workspace.root, env: { OLLAMA_HOST: server.host } })
    const page = await browser.newPage()
    await page.goto(`file://${join(workspace.root, 'reports/index.html')}`)
    await page.waitForSelector('body[data-ready=true]')
    const names = () => page.locator('[data-testid=eval-row] td:first-child div:first-child').allTextContents()
    await page.locator('#evals th[data-key=name]').click()
    expect(await names()).toEqual(['alpha fails', 'headline', 'zeta always passes'])
    await page.locator('#evals th[data-key=name]').click()
    expect(await names()).toEqual(['zeta always passes', 'headline', 'alpha fails'])
    await page.locator('#eval-failed').check()
    expect(await names()).toEqual(['alpha fails'])
    await page.locator('#eval-failed').uncheck()
    await page.locator('#eval-filter').fill('zeta')
    expect(await names()).toEqual(['zeta always passes'])
    await page.close()
  })

  it('says how many case rows a page capped for size leaves out, and shows the failing ones', async () => {
    const cases = Array.from({ length: 30 }, (_, i) => caseOf(`case-${i}`, [judged(i === 20 ? { status: 'fail' } : {})]))
    const dir = mkdtempSync(join(tmpdir(), 'assay-html-cap-'))
    const file = join(dir, 'index.html')
    writeFileSync(file, await renderPage(runOf([evalOf('big', cases)]), { generatedAt: 'now', samplesMax: 10 }))
    const page = await browser.newPage()
    await page.goto(`file://${file}`)
    await page.waitForSelector('body[data-ready=true]')
    await page.locator('[data-testid=eval-row]').first().click()
    expect(await page.locator('[data-testid=omitted]').textContent()).toBe(
      'This page shows 10 of 30 case rows: every failing, errored or flaky case it has room for, then the first passing ones. results.json has all 30.',
    )
    const shown = await page.locator('[data-testid=case-row]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case')))
    expect(shown).toHaveLength(10)
    expect(shown).toContain('case-20')
    await page.close()
    rmSync(dir, { recursive: true, force: true })
  })
})
