import { describe, expect, it } from 'vitest'
import { isCI, resolveConfig } from '../../src/config/load.js'
import { createWorkspace, type Workspace } from '../helpers/workspace.js'

let workspace: Workspace

describe('resolveConfig', () => {
  it('works with no config file: defaults, record new locally', async () => {
    workspace = await createWorkspace()
    const config = await resolveConfig(workspace.root, { env: {} })
    expect(config).toMatchObject({
      configFile: undefined,
      templatesDir: 'evals/templates',
      fixturesDir: 'fixtures',
      reportsDir: 'reports',
      record: 'new',
      concurrency: 2,
      repeat: undefined,
      ollama: { hosts: ['http://127.0.0.1:11434'], timeoutMs: 300_000, retries: 3 },
      history: '.assay/history.jsonl',
      coverage: { templates: undefined },
    })
  })

  it('takes the history path from --history-file, then the config; enabled: false turns it off', async () => {
    workspace = await createWorkspace({ 'assay.config.ts': `export default { history: { path: 'ci/history.jsonl' }, coverage: { templates: 1 } }\n` })
    expect(await resolveConfig(workspace.root, { env: {} })).toMatchObject({ history: 'ci/history.jsonl', coverage: { templates: 1 } })
    expect((await resolveConfig(workspace.root, { flags: { history: { enabled: true, path: 'x.jsonl' } }, env: {} })).history).toBe('x.jsonl')
    await workspace.write('assay.config.ts', `export default { history: { enabled: false } }\n`)
    expect((await resolveConfig(workspace.root, { env: {} })).history).toBeUndefined()
  })

  it('replays when CI is set, and only then', async () => {
    workspace = await createWorkspace()
    expect((await resolveConfig(workspace.root, { env: { CI: 'true' } })).record).toBe('replay')
    expect((await resolveConfig(workspace.root, { env: { CI: '1' } })).record).toBe('replay')
    expect(isCI({ CI: 'false' })).toBe(false)
    expect(isCI({ CI: '' })).toBe(false)
  })

  it('layers config file, then OLLAMA_HOST, then flags', async () => {
    workspace = await createWorkspace({
      'assay.config.ts': `import { defineConfig } from 'assay'\nexport default defineConfig({ concurrency: 3, record: 'off', fixturesDir: 'rec' })\n`,
    })
    const fromFile = await resolveConfig(workspace.root, { env: { CI: 'true', OLLAMA_HOST: 'http://10.0.0.9:11434' } })
    expect(fromFile).toMatchObject({ configFile: 'assay.config.ts', concurrency: 3, record: 'off', fixturesDir: 'rec', ollama: { hosts: ['http://10.0.0.9:11434'] } })
    const withFlags = await resolveConfig(workspace.root, { flags: { concurrency: 8, record: 'replay', repeat: 3 }, env: {} })
    expect(withFlags).toMatchObject({ concurrency: 8, record: 'replay', repeat: 3 })
  })

  it('reads several hosts from OLLAMA_HOST or the config', async () => {
    workspace = await createWorkspace()
    expect((await resolveConfig(workspace.root, { env: { OLLAMA_HOST: 'http://a:11434, http://b:11434' } })).ollama.hosts).toEqual(['http://a:11434', 'http://b:11434'])
    await workspace.write('assay.config.ts', `export default { ollama: { hosts: ['http://c:1', 'http://d:2'], timeoutMs: 5000, retries: 1 } }\n`)
    expect((await resolveConfig(workspace.root, { env: { OLLAMA_HOST: 'http://a:11434' } })).ollama).toEqual({ hosts: ['http://c:1', 'http://d:2'], timeoutMs: 5000, retries: 1 })
  })

  it('names a bad or unknown config field and where the keys are documented', async () => {
    workspace = await createWorkspace({ 'assay.config.ts': `export default { concurrency: 0, recrd: 'new' }\n` })
    await expect(resolveConfig(workspace.root, { env: {} })).rejects.toMatchObject({
      code: 'ASSAY_CONFIG_INVALID',
      file: 'assay.config.ts',
      message: 'Invalid config: concurrency: Too small: expected number to be >=1; unknown key "recrd".',
      fix: expect.stringContaining('docs/config.md'),
    })
  })

  it('reports a config file that throws or has no default export', async () => {
    workspace = await createWorkspace({ 'assay.config.ts': `throw new Error('boom')\n` })
    await expect(resolveConfig(workspace.root, { env: {} })).rejects.toMatchObject({ code: 'ASSAY_CONFIG_LOAD_FAILED', message: expect.stringContaining('boom') })
    await workspace.write('assay.config.ts', 'export const x = 1\n')
    await expect(resolveConfig(workspace.root, { env: {} })).rejects.toMatchObject({ code: 'ASSAY_CONFIG_INVALID', message: 'The config file has no default export.' })
  })

  it('refuses a missing --config file', async () => {
    workspace = await createWorkspace()
    await expect(resolveConfig(workspace.root, { file: 'nope.ts', env: {} })).rejects.toMatchObject({ code: 'ASSAY_USAGE' })
  })
})

describe('resolveConfig: providers', () => {
  const file = (providers: string) => `export default { concurrency: 3, providers: ${providers} }\n`

  it('fills in each named provider from the run settings, and a flag beats a provider\'s own concurrency', async () => {
    workspace = await createWorkspace({
      'assay.config.ts': file(`{
        vllm: { type: 'openai', baseURLs: ['http://gpu-1:8000/v1', 'http://gpu-2:8000/v1'], apiKeyEnv: 'VLLM_KEY', concurrency: 8, timeoutMs: 60000 },
        laptop: { type: 'ollama', host: 'http://laptop:11434' },
      }`),
    })
    const config = await resolveConfig(workspace.root, { env: {} })
    expect(config.providers).toEqual({
      vllm: { type: 'openai', hosts: ['http://gpu-1:8000/v1', 'http://gpu-2:8000/v1'], apiKeyEnv: 'VLLM_KEY', headers: {}, stream: true, concurrency: 8, timeoutMs: 60_000, retries: 3 },
      laptop: { type: 'ollama', hosts: ['http://laptop:11434'], concurrency: 3, timeoutMs: 300_000, retries: 3 },
    })
    const flagged = await resolveConfig(workspace.root, { flags: { concurrency: 1 }, env: {} })
    expect(Object.values(flagged.providers).map((provider) => provider.concurrency)).toEqual([1, 1])
  })

  it('redacts API keys and credential headers of 8 characters or more, even with no patterns configured', async () => {
    workspace = await createWorkspace({
      'assay.config.ts': file(`{
        hosted: { type: 'openai', baseURL: 'https://api.example.com/v1', apiKeyEnv: 'HOSTED_KEY', headers: { 'X-Api-Key': 'hdr-secret-value', 'X-Title': 'assay evals' } },
        local: { type: 'openai', baseURL: 'http://127.0.0.1:8080/v1', apiKeyEnv: 'LOCAL_KEY' },
      }`),
    })
    const config = await resolveConfig(workspace.root, { env: { HOSTED_KEY: 'sk-a.b+c(d)e', LOCAL_KEY: 'EMPTY' } })
    const scrubbed = config.redact.reduce((text, pattern) => text.replace(pattern, '[REDACTED]'), 'key sk-a.b+c(d)e, header hdr-secret-value, title assay evals, placeholder EMPTY')
    expect(scrubbed).toBe('key [REDACTED], header [REDACTED], title assay evals, placeholder EMPTY')
  })

  it('names a provider mistake: no base URL, a bad variable name, an unknown type', async () => {
    workspace = await createWorkspace({ 'assay.config.ts': file(`{ vllm: { type: 'openai', apiKeyEnv: 'VLLM_KEY' } }`) })
    await expect(resolveConfig(workspace.root, { env: {} })).rejects.toMatchObject({ code: 'ASSAY_CONFIG_INVALID', message: 'Invalid config: providers.vllm: give baseURL or baseURLs (one of them).' })
    await workspace.write('assay.config.ts', file(`{ vllm: { type: 'openai', baseURL: 'http://gpu:8000/v1', apiKeyEnv: 'sk-123' } }`))
    await expect(resolveConfig(workspace.root, { env: {} })).rejects.toMatchObject({ message: expect.stringContaining('providers.vllm.apiKeyEnv: expected an environment variable name such as VLLM_API_KEY') })
    await workspace.write('assay.config.ts', file(`{ tgi: { type: 'tgi', baseURL: 'http://gpu:8000/v1' } }`))
    await expect(resolveConfig(workspace.root, { env: {} })).rejects.toMatchObject({ message: "Invalid config: providers.tgi.type: Invalid discriminator value. Expected 'openai' | 'ollama'." })
  })
})
