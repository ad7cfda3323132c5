import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic, writeFileStreamed } from '../src/atomic-write.js'

const folder = () => mkdtemp(join(tmpdir(), 'assay-atomic-'))

describe('writeFileStreamed', () => {
  it('writes every chunk, in order and as UTF-8, across many batches, and leaves no temporary file', async () => {
    const dir = await folder()
    const path = join(dir, 'sub/report.json')
    // Chunks of 1 to 4 bytes a character, some larger than a batch, 3 MB in all.
    const chunks = Array.from({ length: 3000 }, (_, i) => `${i}:${'aé€😀'.repeat(i % 50 === 0 ? 20_000 : 40)}\n`)
    await writeFileStreamed(path, async (write) => {
      for (const chunk of chunks) await write(chunk)
    })
    expect(await readFile(path, 'utf8')).toBe(chunks.join(''))
    expect(await readdir(join(dir, 'sub'))).toEqual(['report.json'])
  })

  it('leaves the old file as it was, and no temporary file, when the writer fails part-way', async () => {
    const dir = await folder()
    const path = join(dir, 'report.json')
    await writeFile(path, 'old')
    const failing = writeFileStreamed(path, async (write) => {
      for (let i = 0; i < 100; i++) await write('x'.repeat(10_000))
      throw new Error('renderer broke')
    })
    await expect(failing).rejects.toThrow('renderer broke')
    expect(await readFile(path, 'utf8')).toBe('old')
    expect(await readdir(dir)).toEqual(['report.json'])
  })

  it('lets timers and signals in while a long report is written: a timeout set before it fires before it ends', async () => {
    const dir = await folder()
    let fired = false
    setTimeout(() => (fired = true), 0)
    let firedBeforeEnd = false
    await writeFileStreamed(join(dir, 'report.json'), async (write) => {
      for (let i = 0; i < 4; i++) {
        // Busy for longer than the writers may hold the event loop, as rendering a large report is.
        const until = performance.now() + 30
        while (performance.now() < until);
        await write('y'.repeat(70_000))
      }
      firedBeforeEnd = fired
    })
    expect(firedBeforeEnd).toBe(true)
  })
})

describe('writeFileAtomic', () => {
  it('replaces a file whole, leaving no temporary file', async () => {
    const dir = await folder()
    const path = join(dir, 'a.json')
    await writeFile(path, 'old')
    await writeFileAtomic(path, 'new')
    expect(await readFile(path, 'utf8')).toBe('new')
    expect(await readdir(dir)).toEqual(['a.json'])
  })
})
