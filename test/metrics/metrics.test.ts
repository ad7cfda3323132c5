import { readFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { aggregates, answerLatencies } from '../../src/results/aggregates.js'
import { suggestions } from '../../src/metrics/suggestions.js'
import { MetricsReporter } from '../../src/report/metrics.js'
import type { CallRecord, SampleResult } from '../../src/results/types.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'

const call = (overrides: Partial<CallRecord>): CallRecord => ({
  purpose: 'answer',
  key: 'k',
  source: 'live',
  fixture: undefined,
  model: 'llama3.2',
  latencyMs: 100,
  firstTokenMs: 20,
  promptTokens: 10,
  completionTokens: 50,
  cutShort: undefined,
  retries: 0,
  ...overrides,
})

let workspace: Workspace | undefined

describe('aggregates', () => {
  it('give pass rate, mean score, p50/p95 latency (R-7), tokens, retry, error and cache-hit rates', () => {
    const cases = Array.from({ length: 10 }, (_, i) =>
      caseOf(`c${i}`, [judged({ status: i < 8 ? 'pass' : 'fail', score: i < 8 ? 1 : 0.5, attempts: i === 0 ? 3 : 1, calls: [call({ latencyMs: (i + 1) * 100, retries: i < 2 ? 1 : 0, source: i < 4 ? 'cache' : 'live' })] })]),
    )
    const metrics = aggregates(cases)
    expect(answerLatencies(cases)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
    expect(metrics).toEqual({
      samples: 10,
      passRate: 0.8,
      meanScore: 0.9,
      latencyP50: 550,
      // numpy.quantile(np.arange(100, 1001, 100), 0.95) = 954.9999999999999
      latencyP95: expect.closeTo(955, 9),
      promptTokens: 100,
      completionTokens: 500,
      retryRate: 0.2,
      meanAttempts: 1.2,
      errorRate: 0,
      cacheHitRate: 0.4,
      fixtureShare: 0,
    })
  })
})

describe('suggestions (the seed optimizer)', () => {
  const base = aggregates([caseOf('a', [judged()])])

  it('flag many re-asks, a low pass rate and a slow model, with the figure that triggered each', () => {
    expect(suggestions({ ...base, meanAttempts: 2.6, passRate: 0.7, latencyP50: 31_000 }).map((s) => s.trigger)).toEqual([
      '1.60 re-asks per sample (above 1.5)',
      'pass rate 70.0% (below 80%)',
      'median latency 31.0 s (above 30 s)',
    ])
  })

  it('stay quiet for a healthy eval', () => {
    expect(suggestions(base)).toEqual([])
  })

  it('say nothing about the prompt when no sample was judged (a missing fixture, a server down)', () => {
    const errored: SampleResult = {
      status: 'error',
      index: 0,
      prompt: { system: '', user: 'Summarize.', examples: 0 },
      calls: [],
      attempts: 1,
      cutShort: undefined,
      durationMs: 1,
      output: undefined,
      error: { code: 'ASSAY_FIXTURE_MISSING', message: 'No fixture', file: undefined, fix: undefined },
    }
    expect(suggestions(aggregates([caseOf('a', [errored]), caseOf('b', [errored])]))).toEqual([])
    // One judged failure among errors is a pass rate of 0% over what was judged: that is advice.
    expect(suggestions(aggregates([caseOf('a', [errored]), caseOf('b', [judged({ status: 'fail' })])])).map((s) => s.trigger)).toEqual(['pass rate 0.0% (below 80%)'])
  })
})

describe('metrics.jsonl', () => {
  it('has one line per call with eval, variant, case, provider, model, figures, source and verdict', async () => {
    workspace = await createWorkspace()
    const file = join(workspace.root, 'reports/metrics.jsonl')
    const results = runOf([evalOf('e', [caseOf('a', [judged({ calls: [call({}), call({ purpose: 'judge', source: 'fixture', retries: 2, provider: 'vllm' })] })], 'v2')])])
    await new MetricsReporter(file).onRunEnd(results)
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line))
    expect(lines).toEqual([
      { eval: 'e', variant: 'v2', case: 'a', sample: 0, purpose: 'answer', provider: null, model: 'llama3.2', latencyMs: 100, firstTokenMs: 20, promptTokens: 10, completionTokens: 50, retries: 0, source: 'live', status: 'pass', error: null },
      { eval: 'e', variant: 'v2', case: 'a', sample: 0, purpose: 'judge', provider: 'vllm', model: 'llama3.2', latencyMs: 100, firstTokenMs: 20, promptTokens: 10, completionTokens: 50, retries: 2, source: 'fixture', status: 'pass', error: null },
    ])
  })
})
