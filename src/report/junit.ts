import type { ChunkWriter } from '../atomic-write.js'
import { xmlAttribute as attr, xmlText as text } from '../output/index.js'
import type { CaseResult, EvalResult, RunResults } from '../results/types.js'
import { writeCases, type CaseText } from './cases.js'
import { SpooledFileReporter, type CaseSpool } from './spool.js'
import type { EvalRef } from './types.js'
import { caseLabel, failingReasons } from '../results/labels.js'

/**
 * `junit.xml` as GitHub, GitLab and Jenkins read it: one <testsuite> per eval file, one
 * <testcase> per case (and variant), a <failure> with the failing assertions' reasons, an <error>
 * for a case that could not be judged.
 */
export class JunitReporter extends SpooledFileReporter {
  constructor(file: string) {
    // Testcases that ended while calls were in flight are rendered then (spool.ts).
    super(file, testcaseOf(), writeJunit)
  }
}

/** Streams the XML a testcase at a time; `spool`'s text where it has the cases'. */
export async function writeJunit(results: RunResults, write: ChunkWriter, spool?: CaseSpool): Promise<void> {
  const render = testcaseOf()
  const byFile = new Map<string, EvalResult[]>()
  for (const result of results.evals) byFile.set(result.file, [...(byFile.get(result.file) ?? []), result])
  const total = results.summary.cases
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="assay" tests="${total.total}" failures="${total.failed}" errors="${total.errored}" time="${(results.durationMs / 1000).toFixed(3)}">\n`)
  for (const [file, evals] of byFile) {
    const all = evals.flatMap((result) => result.cases)
    const time = evals.reduce((sum, result) => sum + result.durationMs, 0) / 1000
    await write(`  <testsuite name="${attr(file)}" tests="${all.length}" failures="${all.filter((c) => c.status === 'fail').length}" errors="${all.filter((c) => c.status === 'error').length}" skipped="0" time="${time.toFixed(3)}" timestamp="${attr(results.startedAt.replace(/Z$/, ''))}">\n`)
    for (const result of evals) {
      await writeCases(result, result.cases, write, render, spool)
    }
    await write('  </testsuite>\n')
  }
  await write('</testsuites>\n')
}

/** The whole document as one string: for tests and small runs. */
export async function junitXml(results: RunResults): Promise<string> {
  const chunks: string[] = []
  await writeJunit(results, async (chunk) => {
    chunks.push(chunk)
  })
  return chunks.join('')
}

/** A case's <testcase>. The eval's attributes are the same on each of its testcases: escaped once per eval, not per case. */
function testcaseOf(): CaseText {
  let last: EvalRef = { name: '', file: '' }
  let suite = ''
  return (entry, _index, evalRef) => {
    if (evalRef.name !== last.name || evalRef.file !== last.file || suite === '') {
      last = evalRef
      suite = `classname="${attr(evalRef.name)}" file="${attr(evalRef.file)}"`
    }
    return testcase(suite, entry)
  }
}

/** `suite`: the eval's classname and file attributes, escaped. */
function testcase(suite: string, entry: CaseResult): string {
  const name = caseLabel(entry)
  const time = entry.samples.reduce((sum, sample) => sum + sample.durationMs, 0) / 1000
  const open = `    <testcase name="${attr(name)}" ${suite} time="${time.toFixed(3)}"`
  if (entry.status === 'pass') return `${open}/>\n`
  const lines: string[] = []
  let firstReason = ''
  for (const sample of entry.samples) {
    const prefix = entry.samples.length > 1 ? `sample ${sample.index + 1}: ` : ''
    if (sample.status === 'error') {
      const text = `${sample.error.code ? `${sample.error.code} ` : ''}${sample.error.message}${sample.error.fix ? `\nFix: ${sample.error.fix}` : ''}`
      lines.push(prefix + text)
      firstReason ||= sample.error.message
    } else {
      for (const reason of failingReasons(sample)) {
        lines.push(prefix + reason)
        firstReason ||= reason
      }
    }
  }
  const tag = entry.status === 'error' ? 'error' : 'failure'
  const type = entry.status === 'error' ? (entry.samples.find((s) => s.status === 'error') as { error?: { code?: string } } | undefined)?.error?.code ?? 'Error' : 'AssertionError'
  return `${open}>\n      <${tag} message="${attr(firstReason)}" type="${attr(type)}">${text(lines.join('\n'))}</${tag}>\n    </testcase>\n`
}
