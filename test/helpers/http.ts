import type { IncomingMessage, ServerResponse } from 'node:http'

/** The loopback model servers' shared plumbing: one JSON answer, one request body, word counts as tokens. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (data += chunk))
    req.on('end', () => resolve(data))
    req.on('error', reject)
  })
}

/** The servers' token count: words, so tests can predict it. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}
