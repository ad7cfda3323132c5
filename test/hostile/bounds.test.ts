import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CliRun } from '../helpers/cli.js'
import { startFakeOllama, type Answer } from '../helpers/ollama-server.js'
import { createWorkspace } from '../helpers/workspace.js'

const wrapper = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url))
const MB = 1024 * 1024

/** The CLI under the peak-RSS wrapper: its result, and its peak resident memory in MB. */
function runMeasured(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun & { peakMb: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [wrapper, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env }, timeout: 60_000, maxBuffer: 16 * MB }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      const peakKb = Number(/peak-rss-kb (\d+)/.exec(stderr)?.[1] ?? NaN)
      resolve({ code, stdout, stderr, peakMb: peakKb / 1024 })
    })
  })
}

/** Six cases, six calls in flight, each answered by `answer`. */
async function hostileRun(answer: Answer, config = '') {
  const workspace = await createWorkspace({
    'assay.config.ts': `export default { concurrency: 6, ollama: { retries: 0 }${config} }\n`,
    'evals/templates/t/t_v1.yaml': 'version: "1"\nsystem_prompt: ""\nuser_prompt_template: "Say {{n}}."\nvariables:\n  - n: int\n',
    'evals/big.eval.ts': `import { evaluate } from 'assay'\nevaluate('big', { template: 't/t', model: 'llama3.2', cases: [1, 2, 3, 4, 5, 6].map((n) => ({ name: 'c' + n, vars: { n } })), assert: [] })\n`,
  })
  const server = await startFakeOllama({ respond: () => answer })
  return runMeasured(['run', '--record', 'off', '--no-cache'], workspace.root, { OLLAMA_HOST: server.host })
}

/** Peak memory figures, printed for the closing note of the issue (measured, not asserted on time). */
const figures: string[] = []

describe('a server that sends without end', () => {
  it('endless streams (six at once) stop at limits.answerBytes, each case an error naming the limit, in bounded memory', async () => {
    const run = await hostileRun({ endless: true })
    figures.push(`endless stream x6: ${run.peakMb.toFixed(0)} MB`)
    expect(run.code).toBe(1)
    const reasons = run.stdout.match(/ASSAY_ANSWER_TOO_LARGE Ollama at \S+ sent an answer longer than limits\.answerBytes \(1,000,000 bytes\), so the stream was stopped there\./g)
    expect(reasons).toHaveLength(6)
    expect(run.stdout).toContain('Cases     6 errors (6)')
    expect(run.peakMb).toBeLessThan(300)
  })

  it('one 50 MB line stops at the line limit, in bounded memory', async () => {
    const run = await hostileRun({ hugeLine: 50 * MB })
    figures.push(`50 MB line x6: ${run.peakMb.toFixed(0)} MB`)
    expect(run.code).toBe(1)
    expect(run.stdout.match(/ASSAY_ANSWER_TOO_LARGE Ollama at \S+ sent one streamed line of more than 4065536 bytes, so the stream was stopped \(4 × limits\.answerBytes \+ 64 KiB\)\./g)).toHaveLength(6)
    expect(run.peakMb).toBeLessThan(300)
  })

  it('a smaller configured limit is the one named', async () => {
    const run = await hostileRun({ endless: true }, ', limits: { answerBytes: 10_000 }')
    expect(run.stdout).toContain('sent an answer longer than limits.answerBytes (10,000 bytes), so the stream was stopped there.')
  })

  it('a line that is not JSON is an error quoting its start, never a console.warn of the raw text', async () => {
    const run = await hostileRun({ raw: `not json ${'z'.repeat(1000)}\n` })
    expect(run.code).toBe(1)
    expect(run.stdout.match(/ASSAY_PROVIDER_FAILED Ollama at \S+ sent a line that is not JSON: not json z{191}… \(809 more characters\)/g)).toHaveLength(6)
    expect(run.stderr).not.toContain('invalid json')
  })

  it('an endless error body is read to 64 KiB and quoted to 2,000 characters', async () => {
    const run = await hostileRun({ status: 500, error: 'e'.repeat(10 * MB) })
    expect(run.code).toBe(1)
    expect(run.stdout.match(/failed with HTTP 500: e{2000}… \(\d+ more characters\)/g)).toHaveLength(6)
    expect(run.peakMb).toBeLessThan(300)
    console.info(`peak RSS: ${figures.join('; ')}`)
  })
})
