import { describe, expect, it } from 'vitest'
import { JsonLines } from '../../src/providers/ndjson.js'
import { seededRandom } from '../helpers/random.js'

const encoder = new TextEncoder()

/** The bytes cut at the given offsets, through the splitter; the lines it gives, as JSON text again. */
async function through(bytes: Uint8Array, cuts: number[], maxLine = 1 << 20): Promise<string[]> {
  const bounds = [0, ...cuts.filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b), bytes.length]
  const lines = new JsonLines(maxLine, 'Ollama at http://127.0.0.1:1')
  const out: unknown[] = []
  for (let i = 1; i < bounds.length; i++) out.push(...lines.push(Buffer.from(bytes.slice(bounds[i - 1], bounds[i]))))
  out.push(...lines.end())
  return out.map((line) => JSON.stringify(line))
}

describe('JsonLines', () => {
  const lines = ['{"message":{"content":"Grüße, 世界 🌍"}}', '{"a":1}', '', '{"done":true}']
  const text = `${lines.join('\n')}\n`
  const bytes = encoder.encode(text)

  /** What comes out: the same lines, less the blank one, each parsed whole (a multi-byte character cut by a read included). */
  const expected = lines.filter(Boolean)

  it('gives every line whole and parsed, wherever the reads cut the input', async () => {
    for (let cut = 1; cut < bytes.length; cut++) expect(await through(bytes, [cut])).toEqual(expected)
    const random = seededRandom(7)
    for (let round = 0; round < 200; round++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * bytes.length))
      expect(await through(bytes, cuts)).toEqual(expected)
    }
  })

  it('gives a last line that has no newline', async () => {
    expect(await through(encoder.encode('{"a":1}\n{"done":true}'), [3, 12])).toEqual(['{"a":1}', '{"done":true}'])
  })

  it('stops a line over the limit even when its newline is in the same read', async () => {
    await expect(through(encoder.encode(`{"a":"${'x'.repeat(2000)}"}\n`), [], 1024)).rejects.toMatchObject({ code: 'ASSAY_ANSWER_TOO_LARGE' })
  })

  it('stops a line longer than the limit, even one that never ends, naming the limit', async () => {
    await expect(through(encoder.encode(`{"a":"${'x'.repeat(5000)}`), [1000, 2000, 3000], 1024)).rejects.toMatchObject({
      code: 'ASSAY_ANSWER_TOO_LARGE',
      message: 'Ollama at http://127.0.0.1:1 sent one streamed line of more than 1024 bytes, so the stream was stopped (4 × limits.answerBytes + 64 KiB).',
    })
  })

  it('refuses a line that is not JSON, quoting its start', async () => {
    await expect(through(encoder.encode('{"a":1}\n<html>oops</html>\n'), [])).rejects.toMatchObject({
      code: 'ASSAY_PROVIDER_FAILED',
      message: 'Ollama at http://127.0.0.1:1 sent a line that is not JSON: <html>oops</html>',
    })
  })
})
