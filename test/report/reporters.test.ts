import { describe, expect, it } from 'vitest'
import { ConsoleReporter, thousands } from '../../src/report/console.js'
import { GithubActionsReporter } from '../../src/report/github.js'
import { embedJson, textCapFor, type ReportData } from '../../src/report/html/data.js'
import { renderPage } from '../../src/report/html/page.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'

describe('GitHub Actions annotations', () => {
  it('annotate the eval file for a failing eval and its first failing cases, escaped as workflow commands need', () => {
    const lines: string[] = []
    const reporter = new GithubActionsReporter((text) => lines.push(text))
    reporter.onEvalEnd(evalOf('writer: a, b', [caseOf('ok', [judged()]), caseOf('bad', [judged({ status: 'fail' })])]))
    expect(lines).toEqual([
      '::error file=evals/writer.eval.ts,title=assay%3A writer%3A a%2C b::1/2 cases passed (threshold 100%25)\n',
      '::error file=evals/writer.eval.ts,title=writer%3A a%2C b > bad::length >= 10 chars: 4 chars, below the minimum of 10\n',
    ])
  })

  it('warn, without case lines, for a passing eval that has failing cases; stay quiet when all pass', () => {
    const lines: string[] = []
    const reporter = new GithubActionsReporter((text) => lines.push(text))
    reporter.onEvalEnd(evalOf('e', [caseOf('ok', [judged()]), caseOf('bad', [judged({ status: 'fail' })])], { status: 'pass', threshold: 0.5 }))
    reporter.onEvalEnd(evalOf('f', [caseOf('ok', [judged()])]))
    expect(lines).toEqual(['::warning file=evals/writer.eval.ts,title=assay%3A e::1/2 cases passed (threshold 50%25)\n'])
  })
})

describe('token counts', () => {
  it('group thousands with commas, as the summary prints them', () => {
    expect([0, 999, 1000, 12345, 1234567, 1234.6].map(thousands)).toEqual(['0', '999', '1,000', '12,345', '1,234,567', '1,235'])
  })
})

describe('the console progress line', () => {
  it('shows cases done, pass rate, calls in flight and ETA on a terminal, and clears itself before other output', () => {
    let clock = 0
    const out: string[] = []
    const reporter = new ConsoleReporter({ write: (t) => out.push(t), color: false, progress: true, now: () => clock })
    reporter.onRunStart({ evals: 1, cases: 4, samples: 4, record: 'new', warnings: [], activity: { callsInFlight: () => 2 } })
    clock = 1000
    reporter.onCaseEnd('e', caseOf('a', [judged()]))
    clock = 1050
    reporter.onCaseEnd('e', caseOf('b', [judged({ status: 'fail' })]))
    clock = 2000
    reporter.onCaseEnd('e', caseOf('c', [judged()]))
    reporter.onEvalEnd(evalOf('e', [caseOf('a', [judged()])]))
    expect(out.slice(1, 4)).toEqual([
      '\x1b[2K\r cases 1/4 · pass 100% · 2 calls in flight · ETA 3.00s',
      '\x1b[2K\r cases 3/4 · pass 66.7% · 2 calls in flight · ETA 667ms',
      '\x1b[2K\r',
    ])
    expect(out[4]).toMatch(/^ ✓ e evals\/writer\.eval\.ts 1\/1 cases/)
  })

  it('writes plain lines when not on a terminal', () => {
    const out: string[] = []
    const reporter = new ConsoleReporter({ write: (t) => out.push(t), color: false })
    reporter.onRunStart({ evals: 1, cases: 1, samples: 1, record: 'replay', warnings: [], activity: { callsInFlight: () => 0 } })
    reporter.onCaseEnd('e', caseOf('a', [judged()]))
    expect(out.join('')).not.toContain('\x1b')
  })

  it('shows a truncation note with its server-given count inert, as every other server text', () => {
    const out: string[] = []
    const sample = judged({ status: 'fail' })
    const truncated = 'the server counted \x1b[2J\x1b]8;;https://x.test\x07 prompt tokens'
    sample.calls = [{ ...sample.calls[0]!, truncated }]
    new ConsoleReporter({ write: (t) => out.push(t), color: false }).onEvalEnd(evalOf('e', [caseOf('a', [sample], 'v')]))
    expect(out.join('')).toContain('likely truncated prompts: a [v] (')
    expect(out.join('')).toContain('the server counted \\u001b[2J\\u001b]8;;https://x.test\\u0007 prompt tokens')
    expect(out.join('')).not.toContain('\x1b')
  })

  it('lists every case with --reporter verbose', () => {
    const out: string[] = []
    new ConsoleReporter({ write: (t) => out.push(t), color: false, verbose: true }).onEvalEnd(evalOf('e', [caseOf('a', [judged()]), caseOf('b', [judged()])]))
    expect(out.join('')).toContain('     ✓ a\n     ✓ b\n')
  })
})

/** The JSON a page embeds, parsed back, as the page's script reads it. */
async function pageData(results: ReturnType<typeof runOf>): Promise<ReportData> {
  const html = await renderPage(results, { generatedAt: 'now' })
  const json = /<script id="assay-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!
  return JSON.parse(json) as ReportData
}

describe('the HTML report data', () => {
  it('streams to the same data in any run, and the page parses it', async () => {
    const data = await pageData(runOf([evalOf('e', [caseOf('a', [judged()])]), evalOf('f', [])]))
    expect(data.evals.map((e) => [e.name, e.rows.length])).toEqual([['e', 1], ['f', 0]])
    expect(data.summary.cases.total).toBe(1)
    expect((await pageData(runOf([]))).evals).toEqual([])
  })

  it('embeds JSON that cannot close its script element', () => {
    expect(embedJson({ x: '</script><script>alert(1)</script><!--' })).toBe('{"x":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!--"}')
    // Every <, > and & escaped, in one pass, and a text without them left as JSON.stringify wrote it.
    for (const x of ['a & b < c > d', '&&<<>>', 'plain text', '\\u0026 already', '']) {
      expect(embedJson({ x })).toBe(JSON.stringify({ x }).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'))
      expect(JSON.parse(embedJson({ x }))).toEqual({ x })
    }
  })

  it('stores a repeated system prompt once and cuts texts to the cap', async () => {
    const long = 'x'.repeat(50_000)
    const data = await pageData(runOf([evalOf('e', [caseOf('a', [judged({ output: long })]), caseOf('b', [judged()])])]))
    expect(data.strings.slice(0, 3)).toEqual(['You are the Writer.', 'length >= 10 chars', '28 chars, within 10..∞'])
    const sample = data.evals[0]!.rows[0]!.samples[0]!
    expect(sample.system).toBe(0)
    expect(sample.output).toHaveLength(data.textCap)
    expect(sample.cut).toBe(50_000 - data.textCap)
  })

  it('keeps a 10,000-case report under 10 MB', async () => {
    const output = 'The storm had blown itself out by midnight, and the sea was still talking to the rocks. '.repeat(30)
    const cases = Array.from({ length: 10_000 }, (_, i) =>
      caseOf(`case-${i}`, [judged({ output, status: i % 7 === 0 ? 'fail' : 'pass', prompt: { system: 'You are the Writer.', user: `Write chapter ${i} about the lighthouse keeper's daughter.`, examples: 1 } })]),
    )
    const html = await renderPage(runOf([evalOf('big', cases)]), { generatedAt: 'now' })
    expect(textCapFor(10_000)).toBe(300)
    expect(Buffer.byteLength(html)).toBeLessThan(10 * 1024 * 1024)
  })
})
