import { describe, expect, it } from 'vitest'
import { PAGE_SAMPLES_MAX, pageRows } from '../../src/report/html/rows.js'
import type { ReportData } from '../../src/report/html/data.js'
import { renderPage } from '../../src/report/html/page.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'

const passing = (id: string, variant?: string) => caseOf(id, [judged()], variant)
const failing = (id: string, variant?: string) => caseOf(id, [judged({ status: 'fail' })], variant)

async function pageData(...args: Parameters<typeof renderPage>): Promise<ReportData> {
  const html = await renderPage(...args)
  return JSON.parse(/<script id="assay-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as ReportData
}

describe('the rows the HTML page shows', () => {
  it('are all of them when the run fits', () => {
    const evals = [evalOf('a', [passing('1'), failing('2')])]
    expect(pageRows(evals, 2)).toEqual([evals[0]!.cases])
  })

  it('put every failing, errored or flaky case first, then passing ones in run order, shared between evals by size', () => {
    const flaky = { ...passing('a7'), flaky: true }
    const errored = caseOf('a9', [{ ...judged(), status: 'error', error: { code: 'X', message: 'boom', file: undefined, fix: undefined } }])
    const a = evalOf('a', [...Array.from({ length: 6 }, (_, i) => passing(`a${i}`)), flaky, failing('a8'), errored])
    const b = evalOf('b', [...Array.from({ length: 3 }, (_, i) => passing(`b${i}`)), failing('b3')])
    const [rowsA, rowsB] = pageRows([a, b], 8)
    // 4 cases worth seeing, then 4 passing samples shared 6 : 3 between the evals (floor: 2 and 1).
    expect(rowsA!.map((row) => row.id)).toEqual(['a0', 'a1', 'a7', 'a8', 'a9'])
    expect(rowsB!.map((row) => row.id)).toEqual(['b0', 'b3'])
  })

  it('keep or drop a case with all its variants, so they stay side by side', () => {
    const cases = ['1', '2', '3', '4'].flatMap((id) => [passing(id, 'v1'), id === '3' ? failing(id, 'v2') : passing(id, 'v2')])
    const variants = ['v1', 'v2'].map((name) => ({ name, status: 'pass' as const, passRate: 1, model: undefined, template: undefined, counts: { cases: 4, passed: 4, failed: 0, errored: 0 }, metrics: evalOf('x', []).metrics }))
    const [rows] = pageRows([evalOf('e', cases, { variants })], 4)
    expect(rows!.map((row) => `${row.id}/${row.variant}`)).toEqual(['1/v1', '1/v2', '3/v1', '3/v2'])
  })

  it('cap the page at PAGE_SAMPLES_MAX samples and say how many rows each eval left out; the eval figures stay whole', async () => {
    const cases = Array.from({ length: PAGE_SAMPLES_MAX + 500 }, (_, i) => (i % 1000 === 999 ? failing(`c${i}`) : passing(`c${i}`)))
    const data = await pageData(runOf([evalOf('big', cases)]), { generatedAt: 'now' })
    const [big] = data.evals
    expect(big!.rows).toHaveLength(PAGE_SAMPLES_MAX)
    expect(big!.omitted).toBe(500)
    expect(big!.cases).toBe(PAGE_SAMPLES_MAX + 500)
    expect(big!.latencies).toHaveLength(PAGE_SAMPLES_MAX + 500)
    expect(big!.rows.filter((row) => row.status === 'fail')).toHaveLength(10)
    const firstPassing = cases.filter((entry) => entry.status === 'pass').slice(0, PAGE_SAMPLES_MAX - 10)
    expect(big!.rows.filter((row) => row.status === 'pass').map((row) => row.id)).toEqual(firstPassing.map((entry) => entry.id))
  })
})
