import { describe, expect, it } from 'vitest'
import { writeResults } from '../../src/report/json.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'

async function streamed(results: Parameters<typeof writeResults>[0]): Promise<string> {
  let text = ''
  await writeResults(results, async (chunk) => {
    text += chunk
  })
  return text
}

describe('results.json, streamed', () => {
  it('parses to exactly the results, for runs with and without evals and cases', async () => {
    const runs = [
      runOf([evalOf('a', [caseOf('x', [judged()]), caseOf('y <"quoted">', [judged({ status: 'fail', output: 'line\nbreak \u2028 and \u0000' })])]), evalOf('b', [])]),
      runOf([]),
    ]
    for (const results of runs) expect(JSON.parse(await streamed(results))).toEqual(JSON.parse(JSON.stringify(results)))
  })

  it('keeps one case per line inside its eval', async () => {
    const text = await streamed(runOf([evalOf('a', [caseOf('x', [judged()]), caseOf('y', [judged()])])]))
    expect(text.split('\n').filter((line) => line.startsWith('        {"id":'))).toHaveLength(2)
  })
})
