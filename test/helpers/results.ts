import { aggregates } from '../../src/results/aggregates.js'
import type { CaseResult, EvalResult, JudgedSample, RunResults, SampleResult } from '../../src/results/types.js'

/** A judged sample with sensible figures; override what a test cares about. */
export function judged(overrides: Partial<JudgedSample> = {}): JudgedSample {
  const pass = overrides.status !== 'fail'
  return {
    status: 'pass',
    index: 0,
    prompt: { system: 'You are the Writer.', user: 'Write chapter 1.', examples: 0 },
    calls: [{ purpose: 'answer', key: 'a'.repeat(64), source: 'fixture', fixture: 'fixtures/e/aaaa.json', model: 'llama3.2', latencyMs: 812, firstTokenMs: 90, promptTokens: 40, completionTokens: 300, cutShort: undefined, retries: 0 }],
    attempts: 1,
    cutShort: undefined,
    durationMs: 3,
    output: 'Chapter 1: The lamp was lit.',
    score: pass ? 1 : 0.4,
    assertions: [{ kind: 'length', name: 'length >= 10 chars', pass, score: pass ? 1 : 0.4, reason: pass ? '28 chars, within 10..∞' : '4 chars, below the minimum of 10', weight: 1, advisory: false }],
    ...overrides,
  }
}

export function caseOf(id: string, samples: SampleResult[], variant?: string): CaseResult {
  const status = samples.some((s) => s.status === 'error') ? 'error' : samples.every((s) => s.status === 'pass') ? 'pass' : 'fail'
  return { id, variant, name: id, vars: { n: 1 }, reference: undefined, tags: undefined, status, repeats: { passed: samples.filter((s) => s.status === 'pass').length, total: samples.length }, flaky: false, samples }
}

export function evalOf(name: string, cases: CaseResult[], overrides: Partial<EvalResult> = {}): EvalResult {
  const passed = cases.filter((c) => c.status === 'pass').length
  const errored = cases.filter((c) => c.status === 'error').length
  return {
    name,
    file: 'evals/writer.eval.ts',
    status: passed === cases.length ? 'pass' : 'fail',
    threshold: 1,
    passRate: cases.length ? passed / cases.length : 0,
    model: 'llama3.2',
    template: { name: 'writer/write_chapter', version: '2', file: 'evals/templates/writer/write_chapter_v2.yaml' },
    repeat: 1,
    durationMs: 1234,
    counts: { cases: cases.length, passed, failed: cases.length - passed - errored, errored },
    metrics: aggregates(cases),
    suggestions: [],
    variants: undefined,
    comparisons: [],
    primary: { metric: 'pass rate', minimumEffect: undefined },
    sequential: undefined,
    baseline: undefined,
    cases,
    ...overrides,
  }
}

export function runOf(evals: EvalResult[]): RunResults {
  const cases = evals.flatMap((e) => e.cases)
  return {
    schemaVersion: 1,
    assayVersion: '0.1.0',
    interrupted: false,
    selection: { filters: [], namePattern: undefined },
    status: evals.every((e) => e.status === 'pass') ? 'pass' : 'fail',
    startedAt: '2026-11-24T12:00:00.000Z',
    durationMs: 2345,
    record: 'replay',
    summary: {
      evals: { total: evals.length, passed: evals.filter((e) => e.status === 'pass').length, failed: evals.filter((e) => e.status !== 'pass').length },
      cases: { total: cases.length, passed: cases.filter((c) => c.status === 'pass').length, failed: cases.filter((c) => c.status === 'fail').length, errored: cases.filter((c) => c.status === 'error').length },
      calls: { total: cases.length, fixture: cases.length, cache: 0, live: 0 },
      usage: { live: { promptTokens: 0, completionTokens: 0, modelMs: 0 }, replayed: { promptTokens: 0, completionTokens: 0, modelMs: 0 } },
    },
    evals,
  }
}
