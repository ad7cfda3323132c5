/**
 * The HTML report at scale: a run of 10,000 cases (outputs of ~2,600 chars, four assertions each)
 * rendered to index.html, then opened in headless Chromium. Prints the file size, the time until
 * the page is ready (data parsed, eval table drawn), and the time to open the eval's case list.
 * Run with `npm run bench:report` (the system's Chromium, or the packed one; see test/helpers/browser.ts).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderPage } from '../src/report/html/page.js'
import type { CaseResult, JudgedSample } from '../src/results/types.js'
import { evalOf, runOf } from '../test/helpers/results.js'
import { launchChromium } from '../test/helpers/browser.js'

const CASES = 10_000
const output = 'The storm had blown itself out by midnight, but the sea was still talking to the rocks. '.repeat(30)
const cases: CaseResult[] = Array.from({ length: CASES }, (_, i) => {
  const pass = i % 7 !== 0
  const sample: JudgedSample = {
    status: pass ? 'pass' : 'fail',
    index: 0,
    prompt: { system: 'You are the Writer, a skilled prose craftsman.', user: `Write chapter ${i}: the lighthouse keeper's daughter finds the lamp lit.`, examples: 1 },
    calls: [{ purpose: 'answer', key: i.toString(16).padStart(64, '0'), source: 'fixture', fixture: `fixtures/writer/${i}.json`, model: 'llama3.2', latencyMs: 500 + (i % 900), firstTokenMs: 80, promptTokens: 120, completionTokens: 600, cutShort: undefined, retries: 0 }],
    attempts: 1,
    cutShort: undefined,
    durationMs: 2,
    output,
    score: pass ? 1 : 0.6,
    assertions: ['length 600..4000 chars', 'language en', 'no CJK characters', 'quality (creative) >= 0.8'].map((name, k) => ({
      kind: 'length' as const,
      name,
      pass: pass || k > 0,
      score: pass || k > 0 ? 1 : 0.4,
      reason: pass || k > 0 ? 'ok' : '241 chars, below the minimum of 600',
      weight: 1,
      advisory: false,
    })),
  }
  return { id: `case-${i}`, variant: undefined, name: `case-${i}`, vars: { chapter: i }, reference: undefined, tags: undefined, status: sample.status, repeats: { passed: pass ? 1 : 0, total: 1 }, flaky: false, samples: [sample] }
})
const results = runOf([evalOf('writer: chapter', cases, { threshold: 0.9 })])

const dir = mkdtempSync(join(tmpdir(), 'assay-report-bench-'))
const file = join(dir, 'index.html')
const renderStart = performance.now()
writeFileSync(file, await renderPage(results, { generatedAt: new Date().toISOString() }))
const renderMs = performance.now() - renderStart
const size = statSync(file).size
const browser = await launchChromium()
const loads: number[] = []
const opens: number[] = []
try {
  for (let run = 0; run < 5; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`file://${file}`)
    await page.waitForSelector('body[data-ready=true]')
    // Navigation start to ready, as the page itself measured it.
    loads.push(await page.evaluate(() => performance.now()))
    const before = await page.evaluate(() => performance.now())
    await page.locator('[data-testid=case-row]').first().waitFor()
    await page.locator('[data-testid=eval-row]').first().click()
    await page.locator('[data-testid=case-row]').first().click()
    await page.locator('[data-testid=case-detail]').first().waitFor()
    opens.push((await page.evaluate(() => performance.now())) - before)
    await page.close()
  }
} finally {
  await browser.close()
  rmSync(dir, { recursive: true, force: true })
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
console.table([
  {
    cases: CASES,
    'report MB': Number((size / 1024 / 1024).toFixed(2)),
    'render ms (node)': Math.round(renderMs),
    'ready ms (median of 5)': Math.round(median(loads)),
    'open case ms (median)': Math.round(median(opens)),
  },
])
