import { execFileSync, spawn } from 'node:child_process'
import { truncate, writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it, vi } from 'vitest'
import { readTextSync } from '../../src/recording/file.js'
import { FileTooLarge, readBytesSync } from '../../src/text-file.js'
import { createWorkspace } from '../helpers/workspace.js'

/** Bytes readSync has returned, to see how much of a file a refusal read. */
let bytesRead = 0
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  return {
    ...fs,
    readSync: (...args: Parameters<typeof fs.readSync>) => {
      const read = fs.readSync(...args)
      bytesRead += read
      return read
    },
  }
})

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

  it('reads a file past the small buffer into one buffer of its stated size, to the byte', async () => {
    const workspace = await createWorkspace()
    readTextSync(join(workspace.root, 'none.json'))
    for (const size of [64 * 1024, 64 * 1024 + 1, 300_000, 5_000_000]) {
      const path = join(workspace.root, `${size}.json`)
      await writeFile(path, 'x'.repeat(size - 1) + 'y')
      const allocations = vi.spyOn(Buffer, 'allocUnsafeSlow')
      try {
        const text = readTextSync(path, 10_000_000, true)
        expect(text?.length).toBe(size)
        expect(text?.endsWith('xy')).toBe(true)
        // The first read of all allocates the shared small buffer; a file that fills it, one buffer of its size (plus the byte that finds its end).
        expect(allocations.mock.calls.map(([length]) => length).filter((length) => length !== 64 * 1024)).toEqual([size + 1])
      } finally {
        allocations.mockRestore()
      }
    }
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

  it('refuses a file that says it is past the bound after one small read, and a pipe one byte past it', async () => {
    const workspace = await createWorkspace()
    const path = join(workspace.root, 'sparse.json')
    // Sparse: 32 MiB + 1 of zeros that cost no disk.
    await writeFile(path, '')
    await truncate(path, 32 * 1024 * 1024 + 1)
    bytesRead = 0
    expect(() => readBytesSync(path, 32 * 1024 * 1024, true)).toThrow(FileTooLarge)
    expect(bytesRead).toBeLessThanOrEqual(64 * 1024)

    // A pipe's size says nothing: it is read until one byte past the bound.
    const fifo = join(workspace.root, 'pipe.json')
    execFileSync('mkfifo', [fifo])
    const writer = spawn('sh', ['-c', `head -c 300000 /dev/zero > "$0"`, fifo], { stdio: 'ignore' })
    const done = new Promise((resolve) => writer.on('exit', resolve))
    bytesRead = 0
    try {
      expect(() => readBytesSync(fifo, 100_000, true)).toThrow(FileTooLarge)
      expect(bytesRead).toBe(100_001)
    } finally {
      await done
    }
  })
})
