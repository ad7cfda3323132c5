import { describe, expect, it } from 'vitest'
import { truncate } from 'node:fs/promises'
import { join } from 'pathe'
import { caseSchema, isExactCase, loadCases, MAX_CASE_FILE_BYTES } from '../../src/cases/load.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'

const origin = { evalName: 'writer: chapter', evalFile: 'evals/writer.eval.ts' }
let workspace: Workspace

describe('loadCases', () => {
  it('reads JSONL, skipping blank lines, and ids unnamed cases by position', async () => {
    workspace = await createWorkspace({ 'golden/c.jsonl': '{"name": "a", "vars": {"x": 1}}\n\n{"vars": {"x": 2}, "reference": "R", "tags": ["t"]}\n' })
    expect(await loadCases(workspace.root, 'golden/c.jsonl', origin)).toEqual([
      { id: 'a', name: 'a', vars: { x: 1 } },
      { id: '#2', vars: { x: 2 }, reference: 'R', tags: ['t'] },
    ])
  })

  it('names the line of a JSONL syntax error', async () => {
    workspace = await createWorkspace({ 'golden/c.jsonl': '{"vars": {}}\n{"vars": {\n' })
    await expect(loadCases(workspace.root, 'golden/c.jsonl', origin)).rejects.toMatchObject({
      code: 'ASSAY_CASES_INVALID',
      file: 'golden/c.jsonl',
      line: 2,
      message: expect.stringMatching(/^Line 2 is not valid JSON/),
    })
  })

  it('names the line and field of a JSONL case of the wrong shape', async () => {
    workspace = await createWorkspace({ 'golden/c.jsonl': '{"vars": {}}\n{"vars": "x", "extra": 1}\n' })
    await expect(loadCases(workspace.root, 'golden/c.jsonl', origin)).rejects.toMatchObject({
      line: 2,
      message: 'Line 2 is not a case: vars: Invalid input: expected record, received string; unknown key "extra".',
    })
  })

  it('refuses a cases file past MAX_CASE_FILE_BYTES without reading it, naming the file, and names a folder given as one', async () => {
    workspace = await createWorkspace({ 'golden/huge.jsonl': '{"vars": {}}\n', 'golden/folder/a.txt': '' })
    // Sparse: the file says it holds one byte more than the bound, and costs no disk.
    await truncate(join(workspace.root, 'golden/huge.jsonl'), MAX_CASE_FILE_BYTES + 1)
    await expect(loadCases(workspace.root, 'golden/huge.jsonl', origin)).rejects.toMatchObject({
      code: 'ASSAY_CASES_INVALID',
      file: 'golden/huge.jsonl',
      message: 'The cases file of eval "writer: chapter" is larger than 256 MiB.',
    })
    await expect(loadCases(workspace.root, 'golden/folder', origin)).rejects.toMatchObject({
      code: 'ASSAY_CASES_INVALID',
      file: 'golden/folder',
      message: expect.stringMatching(/^The cases file of eval "writer: chapter" could not be read: EISDIR/),
    })
  })

  it('reads YAML and JSON arrays', async () => {
    workspace = await createWorkspace({ 'g/c.yaml': '- name: a\n  vars: { x: 1 }\n', 'g/c.json': '[{"vars": {"x": 1}}]' })
    expect(await loadCases(workspace.root, 'g/c.yaml', origin)).toEqual([{ id: 'a', name: 'a', vars: { x: 1 } }])
    expect(await loadCases(workspace.root, 'g/c.json', origin)).toEqual([{ id: '#1', vars: { x: 1 } }])
  })

  it('names the line of a YAML syntax error', async () => {
    workspace = await createWorkspace({ 'g/c.yaml': '- vars: { x: 1 }\n- vars: [\n' })
    await expect(loadCases(workspace.root, 'g/c.yaml', origin)).rejects.toMatchObject({ file: 'g/c.yaml', line: 3 })
  })

  it('says where a missing cases file was expected', async () => {
    workspace = await createWorkspace()
    await expect(loadCases(workspace.root, 'golden/nope.jsonl', origin)).rejects.toMatchObject({
      code: 'ASSAY_CASES_NOT_FOUND',
      file: 'golden/nope.jsonl',
      fix: 'Create golden/nope.jsonl, or correct the path in evals/writer.eval.ts (paths are relative to the project root).',
    })
  })

  it('takes inline arrays and (async) functions, validating both', async () => {
    expect(await loadCases('/', [{ vars: { a: 1 } }], origin)).toEqual([{ id: '#1', vars: { a: 1 } }])
    expect(await loadCases('/', async () => [{ name: 'f', vars: {} }], origin)).toEqual([{ id: 'f', name: 'f', vars: {} }])
    await expect(loadCases('/', [{ input: 'x' }] as never, origin)).rejects.toMatchObject({
      file: 'evals/writer.eval.ts',
      message: expect.stringContaining('cases[0]'),
    })
    await expect(loadCases('/', () => { throw new Error('db down') }, origin)).rejects.toMatchObject({
      message: 'The cases function of eval "writer: chapter" threw: db down',
    })
  })

  it('refuses no cases and duplicate case names', async () => {
    await expect(loadCases('/', [], origin)).rejects.toMatchObject({ message: 'Eval "writer: chapter" has no cases.' })
    await expect(loadCases('/', [{ name: 'a', vars: {} }, { name: 'a', vars: {} }], origin)).rejects.toMatchObject({
      message: 'Eval "writer: chapter" has two cases named "a".',
    })
  })

  it('refuses an unknown file type', async () => {
    workspace = await createWorkspace({ 'g/c.csv': 'a,b' })
    await expect(loadCases(workspace.root, 'g/c.csv', origin)).rejects.toMatchObject({ message: expect.stringContaining('.jsonl, .json or .yaml') })
  })

  it('takes a JSONL line without zod only when caseSchema would accept it as it is', () => {
    const lines = [
      '{"vars": {}}',
      '{"name": "a", "vars": {"x": 1, "nested": {"y": [1, "z"]}}, "reference": "R", "tags": ["t", "u"]}',
      '{"tags": [], "reference": "", "vars": {"1": 2}, "name": "ordered differently"}',
      '{"vars": {"__proto__": {"polluted": true}}}',
      '{"__proto__": {}, "vars": {}}',
      '{"name": "", "vars": {}}',
      '{"name": null, "vars": {}}',
      '{"name": 3, "vars": {}}',
      '{"vars": []}',
      '{"vars": null}',
      '{"vars": "x"}',
      '{}',
      '{"vars": {}, "reference": 1}',
      '{"vars": {}, "tags": "t"}',
      '{"vars": {}, "tags": [1]}',
      '{"vars": {}, "extra": 1}',
      '[{"vars": {}}]',
      '"text"',
      'null',
    ]
    const exact = lines.filter((line) => isExactCase(JSON.parse(line)))
    // The plain ones are taken as they are...
    expect(exact).toEqual(lines.slice(0, 3))
    // ...and only where the schema accepts them and returns an equal value.
    for (const line of lines) {
      const value: unknown = JSON.parse(line)
      const parsed = caseSchema.safeParse(value)
      if (isExactCase(value)) expect(parsed).toEqual({ success: true, data: value })
    }
  })

  it('reads a case whose vars have a __proto__ key as it did, through the schema', async () => {
    const line = '{"name": "p", "vars": {"__proto__": {"x": 1}, "y": 2}}'
    workspace = await createWorkspace({ 'golden/c.jsonl': `${line}\n` })
    const [loaded] = await loadCases(workspace.root, 'golden/c.jsonl', origin)
    const viaSchema = caseSchema.parse(JSON.parse(line))
    expect(Object.keys(loaded!.vars)).toEqual(Object.keys(viaSchema.vars))
    expect(Object.getPrototypeOf(loaded!.vars)).toEqual(Object.getPrototypeOf(viaSchema.vars))
    expect(loaded!.vars.y).toBe(2)
  })
})
