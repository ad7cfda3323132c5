import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { githubData, githubProperty, Redactor, terminalLine, terminalOutput, terminalText, xmlAttribute, xmlText } from '../../src/output/index.js'
import { redactCaseResult, redactReporters } from '../../src/report/redact.js'
import type { CaseResult, RunResults } from '../../src/results/types.js'
import { caseOf, evalOf, judged, runOf } from '../helpers/results.js'
import { seededRandom } from '../helpers/random.js'

const secret = 'sk-live-4f9a8b7c'
const redactor = new Redactor([/sk-live-[a-z0-9]+/g])

describe('Redactor', () => {
  it('replaces every occurrence in a text, and leaves text without one alone', () => {
    expect(redactor.text(`a ${secret} b ${secret}`)).toBe('a [REDACTED] b [REDACTED]')
    expect(redactor.text('nothing here')).toBe('nothing here')
    expect(Redactor.none.text(secret)).toBe(secret)
  })

  it('redacts every string of a value, keys included, and keeps numbers, booleans and shape', () => {
    const value = { vars: { [secret]: [secret, 1, true, null] }, n: 3, nested: [{ text: `x${secret}` }] }
    expect(redactor.value(value)).toEqual({ vars: { '[REDACTED]': ['[REDACTED]', 1, true, null] }, n: 3, nested: [{ text: 'x[REDACTED]' }] })
    expect(value.vars[secret]![0]).toBe(secret)
  })

  it('gives through view() what value() gives, but the originals of every part with nothing to redact', () => {
    const clean = { text: 'nothing here', list: [1, 'two', { three: 3 }], flag: true }
    const value = { vars: { [secret]: [secret, 1, true, null] }, clean, nested: [{ text: `x${secret}` }, clean.list] }
    const view = redactor.view(value)
    expect(view).toEqual(redactor.value(value))
    expect(view.clean).toBe(clean)
    expect(view.nested[1]).toBe(clean.list)
    expect(view.nested).not.toBe(value.nested)
    expect(value.vars[secret]![0]).toBe(secret)
    expect((value.nested[0] as { text: string }).text).toBe(`x${secret}`)
    expect(redactor.view(clean)).toBe(clean)
    expect(Redactor.none.view(value)).toBe(value)
  })

  it('gives through view() what value() gives on 2,000 random values with secrets in texts and keys', () => {
    const random = seededRandom(5)
    const texts = ['a', secret, `x ${secret} y`, 'plain', '']
    const make = (depth: number): unknown => {
      const pick = random()
      if (depth > 3 || pick < 0.3) return [texts[Math.floor(random() * texts.length)], 1.5, null, true][Math.floor(random() * 4)]
      if (pick < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => make(depth + 1))
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [texts[Math.floor(random() * texts.length)]!, make(depth + 1)]))
    }
    for (let i = 0; i < 2000; i++) {
      const value = make(0)
      const before = JSON.stringify(value)
      expect(redactor.view(value)).toEqual(redactor.value(value))
      expect(JSON.stringify(value)).toBe(before)
    }
  })
})

describe('terminal text', () => {
  it('shows ESC, OSC, BEL, CR, DEL and C1 controls as escapes, keeping newlines and tabs', () => {
    const hostile = '\u001b[2J\u001b]8;;http://evil\u0007link\u001b]8;;\u0007\rover\u007f\u009b1m\tok\nnext'
    expect(terminalText(hostile)).toBe('\\u001b[2J\\u001b]8;;http://evil\\u0007link\\u001b]8;;\\u0007\\u000dover\\u007f\\u009b1m\tok\nnext')
    expect(terminalLine('a\nb\tc')).toBe('a\\u000ab\\u0009c')
  })

  it('shows bidirectional overrides, which make text read otherwise than it is', () => {
    expect(terminalText('a\u202eb\u2066c')).toBe('a\\u202eb\\u2066c')
  })

  it('defuses a workflow command at the start of any line, after any whitespace, and ##[ anywhere', () => {
    expect(terminalText('fine\n::error file=a.ts,title=x::forged\n  \u00a0::add-mask::sk\n::stop-commands::t')).toBe(
      'fine\n\\u003a:error file=a.ts,title=x::forged\n  \u00a0\\u003a:add-mask::sk\n\\u003a:stop-commands::t',
    )
    expect(terminalText('::warning::x')).toBe('\\u003a:warning::x')
    expect(terminalText('say ##[error]boom')).toBe('say #\\u0023[error]boom')
    expect(terminalText('a::b is fine mid-line')).toBe('a::b is fine mid-line')
  })

  it('lets through the colours and progress redraws assay writes, and nothing else', () => {
    expect(terminalOutput('\u001b[31m✗\u001b[39m \u001b[2K\rcases 1/2\u001b]0;title\u0007\n::error::x')).toBe('\u001b[31m✗\u001b[39m \u001b[2K\rcases 1/2\\u001b]0;title\\u0007\n\\u003a:error::x')
  })

  it('is idempotent: neutralised text passes again unchanged', () => {
    const once = terminalText('\u001b[2J\n::error::x ##[y]')
    expect(terminalText(once)).toBe(once)
  })
})

describe('GitHub workflow command escaping', () => {
  it('escapes data so a newline cannot start a command, and properties so a colon or comma cannot end one', () => {
    expect(githubData('50% done\r\n::add-mask::x\u001b[1m')).toBe('50%25 done%0D%0A::add-mask::x\\u001b[1m')
    expect(githubProperty('a: b, c\n')).toBe('a%3A b%2C c%0A')
  })
})

describe('XML escaping', () => {
  it('is well-formed for any input, lone surrogates and control characters included', () => {
    const random = seededRandom(12)
    const parser = new XMLParser({ ignoreAttributes: false, processEntities: true, trimValues: false })
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 40 }, () => String.fromCharCode(Math.floor(random() * (random() < 0.5 ? 0x80 : 0x10000)))).join('')
      const xml = `<a b="${xmlAttribute(text)}">${xmlText(text)}</a>`
      expect(XMLValidator.validate(xml)).toBe(true)
      expect(() => parser.parse(xml)).not.toThrow()
    }
    expect(xmlText('\u001b<&>\ud800]]>')).toBe('\\u001b&lt;&amp;&gt;\\ud800]]&gt;')
    expect(xmlAttribute('"\n\t\r')).toBe('&quot;&#10;&#9;&#13;')
  })
})

describe('redactReporters', () => {
  it('hands every reporter redacted results, keeping fixture keys and paths, and redacts each case once', async () => {
    const leaky = caseOf(`case ${secret}`, [judged({ output: `answer ${secret}`, prompt: { system: secret, user: 'u', examples: 0 } })])
    leaky.vars = { key: secret }
    const results = runOf([evalOf('e', [leaky])])
    const seen: { cases: CaseResult[]; runs: RunResults[]; names: string[] }[] = [{ cases: [], runs: [], names: [] }, { cases: [], runs: [], names: [] }]
    const reporters = redactReporters(
      seen.map((into) => ({ onCaseEnd: (name: string, entry: CaseResult) => (into.names.push(name), into.cases.push(entry)), onRunEnd: (run: RunResults) => void into.runs.push(run) })),
      redactor,
    )
    for (const reporter of reporters) {
      reporter.onCaseEnd?.(`eval ${secret}`, leaky)
      await reporter.onRunEnd?.(results)
    }
    for (const into of seen) {
      expect(JSON.stringify(into)).not.toContain(secret)
      expect(into.names).toEqual(['eval [REDACTED]'])
      expect(into.cases[0]).toMatchObject({ id: 'case [REDACTED]', vars: { key: '[REDACTED]' }, samples: [{ output: 'answer [REDACTED]', calls: [{ key: 'a'.repeat(64), fixture: 'fixtures/e/aaaa.json' }] }] })
      expect(into.runs[0]!.startedAt).toBe(results.startedAt)
    }
    expect(seen[0]!.cases[0]).toBe(seen[1]!.cases[0])
    expect(seen[0]!.runs[0]!.evals[0]!.cases[0]).toBe(seen[0]!.cases[0])
    expect(leaky.samples[0]).toMatchObject({ output: `answer ${secret}` })
  })

  it('hands on a case with nothing to redact as it is, and keeps fixture keys and paths a pattern matches', () => {
    const clean = caseOf('clean', [judged()])
    expect(redactCaseResult(clean, redactor)).toBe(clean)
    const leaky = caseOf('leaky', [judged({ output: 'answer aaaa' })])
    const safe = redactCaseResult(leaky, new Redactor([/aaaa/g]))
    expect(safe.samples[0]).toMatchObject({ output: 'answer [REDACTED]', calls: [{ key: 'a'.repeat(64), fixture: 'fixtures/e/aaaa.json' }] })
    expect(leaky.samples[0]).toMatchObject({ output: 'answer aaaa' })
  })

  it('writes every report at the end of the run, as without redaction, when one of them fails', async () => {
    const written: string[] = []
    const reporters = redactReporters(
      [
        { onRunEnd: async () => Promise.reject(new Error('disk full')) },
        // Still writing when the first fails: the end waits for it (the process exits once the command returns).
        {
          onRunEnd: async (run: RunResults) => {
            await new Promise((resolve) => setTimeout(resolve, 20))
            written.push(run.evals[0]!.cases[0]!.id)
          },
        },
        { onRunEnd: async () => Promise.reject(new Error('also full')) },
      ],
      redactor,
    )
    await expect(reporters[0]!.onRunEnd!(runOf([evalOf('e', [caseOf(`case ${secret}`, [judged()])])]))).rejects.toThrow('disk full')
    expect(written).toEqual(['case [REDACTED]'])
  })

  it('passes reporters through untouched when nothing is configured', () => {
    const reporters = [{}]
    expect(redactReporters(reporters, Redactor.none)).toBe(reporters)
  })
})
