// The live row's floor: the bench's 200 calls made by the smallest client that can make them
// (node:http with kept-alive connections, `concurrency` calls in flight, each streamed answer read
// to its end and its NDJSON lines parsed), in a process of its own, against the same server. What
// assay takes over this is assay's own cost; what this takes over the ideal is the server's and
// Node's. Usage: OLLAMA_HOST=http://127.0.0.1:PORT node bench/bare-client.mjs CASES CONCURRENCY
import http from 'node:http'

const [cases, concurrency] = process.argv.slice(2).map(Number)
const host = new URL(process.env.OLLAMA_HOST)
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
// The messages bench/workspace.ts's eval sends (its itemText), so the server does the same work.
const itemText = (i) => `Item ${i}: the town council approved repairs to bridge number ${i % 97} after an inspection found worn bearings.`

function call(i) {
  const body = JSON.stringify({
    model: 'bench-model',
    messages: [
      { role: 'system', content: 'You summarise news items in one paragraph.' },
      { role: 'user', content: `Summarise this item: ${itemText(i)}` },
    ],
    stream: true,
    options: { temperature: 0, seed: 1 },
  })
  return new Promise((resolve, reject) => {
    const request = http.request({ host: host.hostname, port: host.port, path: '/api/chat', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (text += chunk))
      response.on('end', () => {
        let answer = ''
        for (const line of text.split('\n')) if (line) answer += JSON.parse(line).message.content
        resolve(answer)
      })
    })
    request.on('error', reject)
    request.end(body)
  })
}

let next = 0
const lane = async () => {
  while (next < cases) await call(next++)
}
await Promise.all(Array.from({ length: concurrency }, lane))
agent.destroy()
