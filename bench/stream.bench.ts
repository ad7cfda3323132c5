/**
 * Stream parsing: time to read one streamed answer of 0.1 to 8 MB, through OpenAIProvider (server-sent
 * events of about 24 bytes of text each, from memory, no socket) and OllamaProvider (NDJSON lines of
 * the same size, and the whole answer as one line, from a loopback server: its client is node:http). Linear parsing shows as a flat time
 * per MB. limits.answerBytes is raised past the sizes measured. Run with `npm run bench:stream`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OllamaProvider } from '../src/providers/ollama.js'
import { OpenAIProvider } from '../src/providers/openai.js'

const SIZES_MB = [0.125, 0.5, 2, 8]
const UNLIMITED = 1024 * 1024 * 1024
const RUNS = 5
/** The real early-stop check looks every 32 characters; this one looks and never stops. */
const STOP_EVERY = 32

function events(megabytes: number): Uint8Array[] {
  const piece = 'the lamp was lit again, '
  const line = `data: ${JSON.stringify({ model: 'm', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`
  const count = Math.round((megabytes * 1024 * 1024) / piece.length)
  const encoder = new TextEncoder()
  // Network-sized reads: 16 kB each, cutting events anywhere.
  const all = encoder.encode(line.repeat(count) + `data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: count } })}\n\ndata: [DONE]\n\n`)
  const reads: Uint8Array[] = []
  for (let offset = 0; offset < all.length; offset += 16_384) reads.push(all.subarray(offset, offset + 16_384))
  return reads
}

function fetchFrom(reads: Uint8Array[]): typeof fetch {
  return async () => {
    let next = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next < reads.length) controller.enqueue(reads[next++]!)
        else controller.close()
      },
    })
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

console.log('OpenAI-compatible (SSE)\nanswer MB | median ms | ms per MB | with stop check ms per MB | peak RSS MB')
for (const megabytes of SIZES_MB) {
  const reads = events(megabytes)
  const provider = new OpenAIProvider({ name: 'bench', baseURL: 'http://bench/v1', apiKey: undefined, apiKeyEnv: undefined, fetch: fetchFrom(reads) })
  const time = async (check: boolean) => {
    const runs: number[] = []
    for (let run = 0; run < RUNS; run++) {
      let checkedAt = 0
      const stopWhen = (partial: string) => {
        if (partial.length - checkedAt >= STOP_EVERY) checkedAt = partial.length
        return undefined
      }
      const started = performance.now()
      const answer = await provider.chat({ model: 'm', messages: [] }, { maxAnswerBytes: 16 * 1024 * 1024, ...(check ? { stopWhen } : {}) })
      runs.push(performance.now() - started)
      if (answer.content.length < megabytes * 1024 * 1024 * 0.99) throw new Error('short answer')
    }
    return median(runs)
  }
  const plain = await time(false)
  const checked = await time(true)
  const rss = process.memoryUsage().rss / 1024 / 1024
  console.log(`${megabytes} | ${plain.toFixed(1)} | ${(plain / megabytes).toFixed(1)} | ${(checked / megabytes).toFixed(1)} | ${rss.toFixed(0)}`)
}

/** Ollama's NDJSON: a line per piece of text, or the whole answer in one line, cut into 16 kB reads. */
function ndjson(megabytes: number, oneLine: boolean): Uint8Array[] {
  const piece = 'the lamp was lit again, '
  const count = Math.round((megabytes * 1024 * 1024) / piece.length)
  const last = `${JSON.stringify({ model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', eval_count: count })}\n`
  const text = oneLine
    ? `${JSON.stringify({ model: 'm', message: { role: 'assistant', content: piece.repeat(count) }, done: false })}\n${last}`
    : `${`${JSON.stringify({ model: 'm', message: { role: 'assistant', content: piece }, done: false })}\n`.repeat(count)}${last}`
  const all = new TextEncoder().encode(text)
  const reads: Uint8Array[] = []
  for (let offset = 0; offset < all.length; offset += 16_384) reads.push(all.subarray(offset, offset + 16_384))
  return reads
}

for (const oneLine of [false, true]) {
  console.log(`\nOllama (NDJSON, ${oneLine ? 'the whole answer in one line' : 'a line per piece'})\nanswer MB | median ms | ms per MB | peak RSS MB`)
  for (const megabytes of SIZES_MB) {
    const reads = ndjson(megabytes, oneLine)
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' })
        for (const read of reads) res.write(read)
        res.end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const provider = new OllamaProvider(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    const runs: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now()
      const answer = await provider.chat({ model: 'm', messages: [] }, { maxAnswerBytes: UNLIMITED })
      runs.push(performance.now() - started)
      if (answer.content.length < megabytes * 1024 * 1024 * 0.99) throw new Error('short answer')
    }
    server.closeAllConnections()
    server.close()
    const ms = median(runs)
    console.log(`${megabytes} | ${ms.toFixed(1)} | ${(ms / megabytes).toFixed(1)} | ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)}`)
  }
}
