import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { junitXml } from '../../src/report/junit.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'

const errored = { status: 'error' as const, index: 0, prompt: undefined, calls: [], attempts: 1, cutShort: undefined, durationMs: 1, output: undefined, error: { code: 'ASSAY_FIXTURE_MISSING', message: 'No fixture for case "c".', file: 'evals/a.eval.ts', fix: 'Record it.' } }

const results = runOf([
  evalOf('writer: chapter', [caseOf('ok', [judged()]), caseOf('short <&> "quoted"', [judged({ status: 'fail' })]), caseOf('missing', [errored])]),
  evalOf('writer: v2', [caseOf('ok', [judged()], 'v1'), caseOf('ok', [judged({ status: 'fail', output: 'bell \u0007 here' })], 'v2')], { file: 'evals/other.eval.ts' }),
])

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml)

describe('junit.xml', () => {
  it('is well-formed XML even with markup and control characters in the text', async () => {
    expect(XMLValidator.validate(await junitXml(results))).toBe(true)
  })

  it('has the structure the JUnit schema requires: suites per eval file, cases with name and classname', async () => {
    const doc = parse(await junitXml(results))
    expect(doc.testsuites).toMatchObject({ name: 'assay', tests: '5', failures: '2', errors: '1' })
    const suites = doc.testsuites.testsuite
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['evals/writer.eval.ts', 'evals/other.eval.ts'])
    for (const suite of suites) {
      for (const attribute of ['name', 'tests', 'failures', 'errors', 'skipped', 'time', 'timestamp']) expect(suite).toHaveProperty(attribute)
      expect(Number(suite.tests)).toBe(suite.testcase.length)
      for (const testcase of suite.testcase) {
        expect(testcase).toHaveProperty('name')
        expect(testcase).toHaveProperty('classname')
        expect(Number(testcase.time)).toBeGreaterThanOrEqual(0)
      }
    }
  })

  it('puts the failing assertions in a <failure> and an unjudged case in an <error>', async () => {
    const [first, second] = parse(await junitXml(results)).testsuites.testsuite
    expect(first.testcase[0]).toEqual({ name: 'ok', classname: 'writer: chapter', file: 'evals/writer.eval.ts', time: '0.003' })
    expect(first.testcase[1].name).toBe('short <&> "quoted"')
    expect(first.testcase[1].failure).toMatchObject({ message: 'length >= 10 chars: 4 chars, below the minimum of 10', type: 'AssertionError' })
    expect(first.testcase[2].error).toMatchObject({ type: 'ASSAY_FIXTURE_MISSING', message: 'No fixture for case "c".', '#text': 'ASSAY_FIXTURE_MISSING No fixture for case "c".\nFix: Record it.' })
    expect(second.testcase.map((t: { name: string }) => t.name)).toEqual(['ok [v1]', 'ok [v2]'])
  })
})
