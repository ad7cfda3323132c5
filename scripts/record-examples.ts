/**
 * Re-records the example workspace's fixtures: starts the loopback Ollama-compatible server with
 * the scripted answers in example-answers.ts, deletes fixtures/, and runs the real CLI in `new`
 * mode against it. Run with `npm run record-examples` after changing an example eval, template or
 * golden file; then review and commit the fixture diff.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startFakeOllama } from '../test/helpers/ollama-server.js'
import { exampleAnswers } from './example-answers.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const unmatched: string[] = []
const answerFor = (request: { messages: { content: string }[] }) => {
  const text = request.messages.map((message) => message.content).join('\n')
  return exampleAnswers.find(({ when }) => when.every((needle) => text.includes(needle)))
}
const server = await startFakeOllama({
  delayMs: (request) => answerFor(request)?.delayMs ?? 0,
  respond(request) {
    const found = answerFor(request)
    if (found) return found.answer
    unmatched.push(request.messages.map((message) => message.content).join('\n').slice(0, 300))
    return { status: 500, error: 'no scripted answer for this request; add one to scripts/example-answers.ts' }
  },
})
try {
  rmSync(new URL('../fixtures', import.meta.url), { recursive: true, force: true })
  // Not spawnSync: the server runs in this process and must keep answering.
  const child = spawn(process.execPath, ['bin/assay.js', 'run', '--record', 'new', '--no-cache'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CI: '', OLLAMA_HOST: server.host },
  })
  const [status] = (await once(child, 'exit')) as [number | null]
  if (unmatched.length > 0) {
    console.error(`No scripted answer for ${unmatched.length} request(s):\n${unmatched.join('\n---\n')}`)
    process.exitCode = 1
  } else {
    console.log(`Recorded ${server.requests.length} fixtures (assay exited ${status}).`)
  }
} finally {
  await server.close()
}
