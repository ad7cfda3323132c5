import { readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { resolveConfig } from '../../src/config/load.js'
import { Redactor } from '../../src/output/index.js'
import { writeResults } from '../../src/report/json.js'
import { junitXml, JunitReporter } from '../../src/report/junit.js'
import { JsonReporter } from '../../src/report/json.js'
import { MetricsReporter, writeMetrics } from '../../src/report/metrics.js'
import { redactRunResults } from '../../src/report/redact.js'
import { HtmlReporter } from '../../src/report/html/index.js'
import { renderPage } from '../../src/report/html/page.js'
import { CaseSpool } from '../../src/report/spool.js'
import type { RunResults } from '../../src/results/types.js'
import { runEvals } from '../../src/runner/run.js'
import { startFakeOllama, type FakeOllama } from '../helpers/ollama-server.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'
import { basicWorkspace, createWorkspace } from '../helpers/workspace.js'

let server: FakeOllama | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await server?.close()
  server = undefined
})

const rendered = async (render: (write: (chunk: string) => undefined) => Promise<void>) => {
  let text = ''
  await render((chunk) => {
    text += chunk
    return undefined
  })
  return text
}
/** The JSON the page embeds. */
const pageData = (page: string) => /<script id="assay-data" type="application\/json">(.*?)<\/script>/s.exec(page)![1]!
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))
const inFlight = (calls: number) => ({ callsInFlight: () => calls })
const lines = (count: number) => `${Array.from({ length: count }, (_, i) => JSON.stringify({ name: `p${i}`, vars: { name: `Ada ${i}`, city: i % 3 === 0 ? 'Rome' : 'York' } })).join('\n')}\n`

/** Every case is rendered by `spooled` through the spool, as writeResults renders the ones it has not. */
async function spoolAll(spool: CaseSpool, results: RunResults): Promise<void> {
  for (const result of results.evals) spool.add(result, result.cases)
  await nextTurn()
}

describe('report text rendered while calls are in flight (CaseSpool)', () => {
  it('gives the same results.json as rendering every case at the end, and covers the cases it spooled', async () => {
    const results = runOf([evalOf('a', [caseOf('x', [judged()]), caseOf('y', [judged({ status: 'fail', output: 'ünïcode \u2028 and "quotes"' })])]), evalOf('b', [caseOf('z', [judged()])])])
    const spool = new CaseSpool((entry, index) => `${index === 0 ? '' : ','}\n        ${JSON.stringify(entry)}`)
    spool.start(inFlight(3))
    await spoolAll(spool, results)
    const copied = vi.spyOn(spool, 'copy')
    expect(await rendered((write) => writeResults(results, write, spool))).toBe(await rendered((write) => writeResults(results, write)))
    expect(await Promise.all(copied.mock.results.map((result) => result.value))).toEqual([2, 1])
    spool.close()
  })

  it('is used only where the final cases begin with exactly the cases it holds', async () => {
    const [x, y, kept] = [caseOf('x', [judged()]), caseOf('y', [judged()]), caseOf('k', [judged()])]
    const spool = new CaseSpool((entry) => `${entry.id};`)
    spool.start(inFlight(1))
    spool.add({ name: 'a', file: 'evals/a.eval.ts' }, [x, y])
    await nextTurn()
    const copy = async (file: string, cases: typeof x[]) => {
      let text = ''
      const count = await spool.copy({ name: 'a', file }, cases, (chunk) => void (text += chunk))
      return { count, text }
    }
    expect(await copy('evals/a.eval.ts', [x, y, kept])).toEqual({ count: 2, text: 'x;y;' })
    // A rerun's kept case first, fewer cases than spooled, the same name in another file: none of it.
    expect(await copy('evals/a.eval.ts', [kept, x, y])).toEqual({ count: 0, text: '' })
    expect(await copy('evals/a.eval.ts', [x])).toEqual({ count: 0, text: '' })
    expect(await copy('evals/b.eval.ts', [x, y])).toEqual({ count: 0, text: '' })
    spool.close()
  })

  it('takes no case once one came with no call in flight, and still renders the ones taken before', async () => {
    const [w, x, y] = [caseOf('w', [judged()]), caseOf('x', [judged()]), caseOf('y', [judged()])]
    let calls = 1
    const spool = new CaseSpool((entry) => `${entry.id};`)
    spool.start({ callsInFlight: () => calls })
    spool.add({ name: 'a', file: 'f' }, [w])
    calls = 0
    spool.add({ name: 'a', file: 'f' }, [x])
    calls = 2
    spool.add({ name: 'b', file: 'f' }, [y])
    await nextTurn()
    let text = ''
    expect(await spool.copy({ name: 'a', file: 'f' }, [w, x], (chunk) => void (text += chunk))).toBe(1)
    expect(text).toBe('w;')
    expect(await spool.copy({ name: 'b', file: 'f' }, [y], () => undefined)).toBe(0)
    spool.close()
  })

  it('gives up, and leaves the end to render every case, when rendering ahead fails', async () => {
    const [x, y] = [caseOf('x', [judged()]), caseOf('y', [judged()])]
    const tried: string[] = []
    const spool = new CaseSpool((entry) => {
      tried.push(entry.id)
      if (entry.id === 'y') throw new Error('no')
      return `${entry.id};`
    })
    spool.start(inFlight(1))
    spool.add({ name: 'a', file: 'f' }, [x, y])
    await nextTurn()
    // It did render ahead, and failed there: a spool that took nothing would also cover 0 cases.
    expect(tried).toEqual(['x', 'y'])
    expect(await spool.copy({ name: 'a', file: 'f' }, [x, y], () => undefined)).toBe(0)
    spool.close()
  })

  it('leaves no file in the temporary folder, even while it is open', async () => {
    const x = caseOf('x', [judged()])
    const spool = new CaseSpool((entry) => `${entry.id};`)
    spool.start(inFlight(1))
    spool.add({ name: 'a', file: 'f' }, [x])
    await nextTurn()
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`assay-spool-${process.pid}-`))).toEqual([])
    // The file was open and holds the case: the listing above is not empty for want of a file.
    let text = ''
    expect(await spool.copy({ name: 'a', file: 'f' }, [x], (chunk) => void (text += chunk))).toBe(1)
    expect(text).toBe('x;')
    spool.close()
  })

  it('writes a live run\'s results.json, junit.xml, metrics.jsonl and page data byte for byte as rendered at the end, most of them ahead', async () => {
    // Variants, repeats, failing cases and a redacted name: the text spooled is what the end would write.
    const workspace = await createWorkspace({
      ...basicWorkspace,
      'assay.config.ts': `export default { redact: { patterns: ['Ada 1\\\\d'] } }\n`,
      'golden/people.jsonl': lines(40),
      'evals/greet.eval.ts': `import { assert, evaluate } from 'assay'
evaluate('greet', {
  template: 'greeter/greet',
  model: 'llama3.2',
  cases: 'golden/people.jsonl',
  repeat: 2,
  variants: { one: { template: 'greeter/greet@1' }, two: { template: 'greeter/greet@2' } },
  assert: [assert.contains('Rome')],
})
`,
    })
    server = await startFakeOllama({ delayMs: 3 })
    const config = await resolveConfig(workspace.root, { flags: { record: 'off', cache: { enabled: false }, concurrency: 4 }, env: { OLLAMA_HOST: server.host } })
    const copies = vi.spyOn(CaseSpool.prototype, 'copy')
    const reports = join(workspace.root, 'reports')
    const final = await runEvals({
      config,
      reporters: [new JsonReporter(join(reports, 'results.json')), new JunitReporter(join(reports, 'junit.xml')), new MetricsReporter(join(reports, 'metrics.jsonl')), new HtmlReporter(join(reports, 'index.html'), workspace.root)],
    })
    const written = redactRunResults(final, new Redactor(config.redact))
    expect(written.evals[0]!.cases).toHaveLength(80)
    expect(JSON.stringify(written)).toContain('[REDACTED]')
    expect(readFileSync(join(reports, 'results.json'), 'utf8')).toBe(await rendered((write) => writeResults(written, write)))
    expect(readFileSync(join(reports, 'junit.xml'), 'utf8')).toBe(await junitXml(written))
    const page = readFileSync(join(reports, 'index.html'), 'utf8')
    const generatedAt = /"generatedAt":"([^"]+)"/.exec(page)![1]!
    expect(pageData(page)).toBe(pageData(await renderPage(written, { generatedAt })))
    // Each of the four reports found most of the 80 cases already rendered.
    const covered = await Promise.all(copies.mock.results.map((result) => result.value as Promise<number>))
    expect(covered).toHaveLength(4)
    for (const count of covered) expect(count).toBeGreaterThan(40)
    const metrics = await rendered((write) => writeMetrics(written, write))
    expect(readFileSync(join(reports, 'metrics.jsonl'), 'utf8')).toBe(metrics)
    expect(metrics.trimEnd().split('\n')).toHaveLength(written.summary.calls.total)
  })

  it('renders nothing ahead in a replay, whose calls never leave the process', async () => {
    const workspace = await createWorkspace({ ...basicWorkspace, 'golden/people.jsonl': lines(12) })
    server = await startFakeOllama()
    const record = await resolveConfig(workspace.root, { flags: { record: 'new' }, env: { OLLAMA_HOST: server.host } })
    await runEvals({ config: record })
    const replay = await resolveConfig(workspace.root, { flags: { record: 'replay' }, env: { OLLAMA_HOST: server.host } })
    const copies = vi.spyOn(CaseSpool.prototype, 'copy')
    const reports = join(workspace.root, 'reports')
    const final = await runEvals({ config: replay, reporters: [new JsonReporter(join(reports, 'results.json'))] })
    expect(final.summary.calls).toMatchObject({ fixture: 12, live: 0 })
    expect(await Promise.all(copies.mock.results.map((result) => result.value as Promise<number>))).toEqual([0])
    expect(readFileSync(join(reports, 'results.json'), 'utf8')).toBe(await rendered((write) => writeResults(final, write)))
  })
})
