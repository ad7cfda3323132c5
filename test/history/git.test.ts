import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { gitOnce, gitState } from '../../src/git.js'
import { createWorkspace } from '../helpers/workspace.js'

/** A `git` on PATH that logs its arguments, then runs `then` (by default it fails, as git does outside a repository). */
async function loggingGit(then = 'exit 128') {
  const bin = await createWorkspace()
  const log = join(bin.root, 'calls.log')
  writeFileSync(join(bin.root, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\n${then}\n`)
  chmodSync(join(bin.root, 'git'), 0o755)
  return { env: { PATH: bin.root }, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) }
}

describe('the git state of a run', () => {
  it('starts no git in a folder with no .git above it, and asks git once a .git is there', async () => {
    const git = await loggingGit()
    const plain = await createWorkspace({ 'a.txt': 'a' })
    expect(await gitState(plain.root, git.env)).toBeNull()
    expect(git.calls()).toEqual([])

    await plain.write('.git/HEAD', 'ref: refs/heads/main\n')
    await plain.write('sub/b.txt', 'b')
    expect(await gitState(join(plain.root, 'sub'), git.env)).toBeNull()
    expect(git.calls()).toEqual(['rev-parse HEAD --short HEAD'])
  })

  it('gives the commit, its short form and whether tracked files changed, from a real repository', async () => {
    const repo = await createWorkspace({ 'notes.txt': 'one\n' })
    const run = (...args: string[]) => execFileSync('git', args, { cwd: repo.root, encoding: 'utf8' }).trim()
    run('init', '-q')
    run('add', '.')
    run('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'first')
    expect(await gitState(repo.root)).toEqual({ commit: run('rev-parse', 'HEAD'), short: run('rev-parse', '--short', 'HEAD'), dirty: false })
    await repo.write('notes.txt', 'two\n')
    expect(await gitState(repo.root)).toMatchObject({ dirty: true })
  })

  it('gives the commit from a subfolder of a repository and from a linked worktree, whose .git is a file', async () => {
    const repo = await createWorkspace({ 'sub/deeper/notes.txt': 'one\n' })
    const run = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()
    run(repo.root, 'init', '-q')
    run(repo.root, 'add', '.')
    run(repo.root, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'first')
    const first = run(repo.root, 'rev-parse', 'HEAD')
    expect(await gitState(join(repo.root, 'sub/deeper'))).toMatchObject({ commit: first, dirty: false })

    const linked = join(repo.root, '..', `${repo.root.split('/').at(-1)}-linked`)
    run(repo.root, 'worktree', 'add', '-q', '-b', 'other', linked)
    try {
      await writeFile(join(linked, 'sub/deeper/notes.txt'), 'two\n')
      run(linked, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-am', 'second')
      expect(readFileSync(join(linked, '.git'), 'utf8')).toMatch(/^gitdir: /)
      expect(await gitState(join(linked, 'sub'))).toEqual({ commit: run(linked, 'rev-parse', 'HEAD'), short: run(linked, 'rev-parse', '--short', 'HEAD'), dirty: false })
      expect((await gitState(linked))!.commit).not.toBe(first)
    } finally {
      rmSync(linked, { recursive: true, force: true })
    }
  })

  it('looks once for a run, however many parts ask, and gives the commit without waiting for the dirty check', async () => {
    const failing = await loggingGit()
    const outside = await createWorkspace({ '.git/HEAD': 'ref: refs/heads/main\n' })
    const none = gitOnce(outside.root, failing.env)
    expect(await Promise.all([none.head(), none.state(), none.head()])).toEqual([null, null, null])
    expect(failing.calls()).toEqual(['rev-parse HEAD --short HEAD'])

    const answering = await loggingGit(`case "$1" in rev-parse) printf '${'a'.repeat(40)}\\naaaaaaa\\n'; exit 0;; diff) exit 1;; esac`)
    const repo = await createWorkspace({ '.git/HEAD': 'ref: refs/heads/main\n' })
    const once = gitOnce(repo.root, answering.env)
    expect(await once.head()).toEqual({ commit: 'a'.repeat(40), short: 'aaaaaaa' })
    expect(answering.calls()).toEqual(['rev-parse HEAD --short HEAD'])
    expect(await Promise.all([once.state(), once.state()])).toEqual([{ commit: 'a'.repeat(40), short: 'aaaaaaa', dirty: true }, { commit: 'a'.repeat(40), short: 'aaaaaaa', dirty: true }])
    expect(answering.calls()).toEqual(['rev-parse HEAD --short HEAD', 'diff --quiet HEAD --'])
  })
})
