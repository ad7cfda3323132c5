import { describe, expect, it } from 'vitest'
import { wholeJsonLines } from '../../src/providers/ndjson.js'
import { seededRandom } from '../helpers/random.js'

const encoder = new TextEncoder()

/** The bytes as a stream cut at the given offsets, through the guard; the chunks it emits, decoded. */
async function through(bytes: Uint8Array, cuts: number[], maxLine = 1 << 20): Promise<string[]> {
  const bounds = [0, ...cuts.filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b), bytes.length]
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 1; i < bounds.length; i++) controller.enqueue(bytes.slice(bounds[i - 1], bounds[i]))
      controller.close()
    },
  })
  const out: string[] = []
  const decoder = new TextDecoder()
  for await (const chunk of wholeJsonLines(source, maxLine, 'Ollama at http://127.0.0.1:1')) out.push(decoder.decode(chunk))
  return out
}

describe('wholeJsonLines', () => {
  const lines = ['{"message":{"content":"Grüße, 世界 🌍"}}', '{"a":1}', '', '{"done":true}']
  const text = `${lines.join('\n')}\n`
  const bytes = encoder.encode(text)

  /** What comes out: the same lines, less the blank one (the client would warn about it). */
  const expected = `${lines.filter(Boolean).join('\n')}\n`

  it('passes every line through whole, in chunks that end at a line break, wherever the input is cut', async () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const chunks = await through(bytes, [cut])
      expect(chunks.join('')).toBe(expected)
      for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true)
    }
    const random = seededRandom(7)
    for (let round = 0; round < 200; round++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * bytes.length))
      expect((await through(bytes, cuts)).join('')).toBe(expected)
    }
  })

  it('hands on a last line that has no newline', async () => {
    expect((await through(encoder.encode('{"a":1}\n{"done":true}'), [3, 12])).join('')).toBe('{"a":1}\n{"done":true}')
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
