import { execFileSync, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { FileTooLarge, readTextSync } from '../../src/recording/file.js'
import { createWorkspace } from '../helpers/workspace.js'

describe('readTextSync', () => {
  it('reads a file whole, undefined when there is none, and refuses one past the bound without reading it all', async () => {
    const workspace = await createWorkspace()
    const path = join(workspace.root, 'a.json')
    await writeFile(path, 'é'.repeat(100_000))
    expect(readTextSync(path)).toBe('é'.repeat(100_000))
    expect(readTextSync(join(workspace.root, 'none.json'))).toBeUndefined()
    expect(readTextSync(path, 200_000)).toBe('é'.repeat(100_000))
    expect(() => readTextSync(path, 199_999)).toThrow(FileTooLarge)
    expect(() => readTextSync(path, 10)).toThrow(FileTooLarge)
  })

  it('reads on past a short read to the end when asked to: a pipe written in two parts', async () => {
    const workspace = await createWorkspace()
    const fifo = join(workspace.root, 'pipe.json')
    execFileSync('mkfifo', [fifo])
    // The writer pauses between its two parts, so the first read returns only the first.
    const writer = spawn('sh', ['-c', `exec 3>"$0"; printf '{"a":' >&3; sleep 0.2; printf '1}' >&3`, fifo], { stdio: 'ignore' })
    const done = new Promise((resolve) => writer.on('exit', resolve))
    try {
      expect(readTextSync(fifo, 1000, true)).toBe('{"a":1}')
    } finally {
      await done
    }
  })
})
