import { describe, expect, it } from 'vitest'
import { checkCombinations, COMMANDS, flagLayer, OPTIONS, parseFlags, type Flags } from '../../src/cli/options.js'
import { initDefaults, sequentialDefaults } from '../../src/config/defaults.js'
import { parseDuration } from '../../src/config/duration.js'
import { resolveConfig } from '../../src/config/load.js'
import { runCli } from '../helpers/cli.js'
import { createWorkspace } from '../helpers/workspace.js'

const usage = (message: string, fix?: string) => expect.objectContaining({ code: 'ASSAY_USAGE', message, ...(fix ? { fix } : {}) })

describe('the flags table', () => {
  it('parses each value by its entry, and names the flag and the fix for a bad one', () => {
    expect(parseFlags('run', { record: 'replay', concurrency: 4, margin: 0.1, shard: '2/4', reporter: ['dot,junit', 'json'], outputDir: 7, testNamePattern: '^greet$' })).toEqual({
      record: 'replay',
      concurrency: 4,
      margin: 0.1,
      shard: { index: 2, count: 4 },
      reporter: ['dot', 'junit', 'json'],
      outputDir: '7',
      testNamePattern: '^greet$',
    })
    const bad: [Record<string, unknown>, string, string][] = [
      [{ record: 'sometimes' }, '--record "sometimes" is not a record mode.', 'Use one of replay, new, all, off.'],
      [{ concurrency: 'x' }, '--concurrency takes a whole number from 1 to 1024, got "x".', 'Write --concurrency 4, for example.'],
      [{ repeat: 0 }, '--repeat takes a whole number from 1 to 10000, got "0".', 'Write --repeat 4, for example.'],
      [{ margin: 5 }, '--margin takes a share from 0 to 1, got "5".', 'Write --margin 0.05 for five points.'],
      [{ cacheTtl: 'soon' }, '--cache-ttl "soon" is not a duration.', 'Write a number with a unit: 90m, 12h, 1d or 4w.'],
      [{ reporter: 'dot,fancy' }, '--reporter "fancy" is not a reporter.', 'Use any of default, verbose, dot, json, junit, html, metrics, github.'],
      [{ shard: '4/3' }, '--shard "4/3" is not a shard: it takes i/n with 1 <= i <= n.', 'Write --shard 1/4 on the first of four machines, --shard 2/4 on the second, and so on.'],
      [{ testNamePattern: '(' }, '-t "(" is not a valid regular expression: Invalid regular expression: /(/: Unterminated group.', 'Escape special characters, e.g. -t "writer\\: chapter" or -t "^writer".'],
      [{ repeat: [2, 3] }, '--repeat is given 2 times.', 'Give --repeat once.'],
      // The config file's bounds hold for the flags too.
      [{ concurrency: 1025 }, '--concurrency takes a whole number from 1 to 1024, got "1025".', 'Write --concurrency 4, for example.'],
      [{ repeat: 10_001 }, '--repeat takes a whole number from 1 to 10000, got "10001".', 'Write --repeat 4, for example.'],
    ]
    for (const [raw, message, fix] of bad) expect(() => parseFlags('run', raw)).toThrow(usage(message, fix))
    expect(parseFlags('run', { concurrency: 1024, repeat: 10_000 })).toEqual({ concurrency: 1024, repeat: 10_000 })
    expect(() => parseFlags('history', { since: 'a while' })).toThrow(usage('--since "a while" is not a duration.', 'Write a number with a unit: 12h, 7d or 4w.'))
  })

  it("reads only the command's own flags", () => {
    expect(parseFlags('compare', { root: 'x', record: 'sometimes', concurrency: 'x' })).toEqual({ root: 'x' })
    expect(parseFlags('list', { coverage: true, baseline: true })).toEqual({ coverage: true })
  })

  it('turns the flags into one layer in the config file’s shape', () => {
    expect(flagLayer({ record: 'off', concurrency: 3, repeat: 2, margin: 0.1, outputDir: 'out', reporter: ['dot'], cache: false, cacheTtl: '1d', historyFile: 'h.jsonl', shard: { index: 1, count: 2 }, baseline: true })).toEqual({
      record: 'off',
      concurrency: 3,
      repeat: 2,
      regressionMargin: 0.1,
      reportsDir: 'out',
      reporters: ['dot'],
      cache: { enabled: false, ttl: '1d' },
      history: { enabled: true, path: 'h.jsonl' },
    })
    // `cache: true` sets nothing; only --no-cache (false) turns the cache off.
    expect(flagLayer({ cache: true })).toEqual({})
  })

  it('refuses every combination that does not work, naming the flags and the fix', () => {
    const refused: [Flags, string, string][] = [
      [{ maxCases: 50 }, '--max-cases and --batch only work with --until-significant.', 'Add --until-significant, or drop them.'],
      [{ batch: 5 }, '--max-cases and --batch only work with --until-significant.', 'Add --until-significant, or drop them.'],
      [{ failed: true, resume: true }, 'Give one of --failed, --retry-errors and --resume.', '--failed already includes the cases that errored.'],
      [{ retryErrors: true, failed: true }, 'Give one of --failed, --retry-errors and --resume.', '--failed already includes the cases that errored.'],
      [{ shard: { index: 1, count: 2 }, baseline: true }, '--shard does not combine with --until-significant or --baseline.', 'Merge the shards with `assay merge-reports` first; sequential runs decide as they go, so they run unsharded.'],
      [{ shard: { index: 1, count: 2 }, untilSignificant: true }, '--shard does not combine with --until-significant or --baseline.', 'Merge the shards with `assay merge-reports` first; sequential runs decide as they go, so they run unsharded.'],
    ]
    for (const [flags, message, fix] of refused) expect(() => checkCombinations(flags)).toThrow(usage(message, fix))
    for (const fine of [{ untilSignificant: true, maxCases: 50, batch: 5 }, { failed: true }, { shard: { index: 1, count: 2 }, failed: true }] satisfies Flags[]) {
      expect(() => checkCombinations(fine)).not.toThrow()
    }
  })

  it('lists every flag in some command, and every command flag in the table', () => {
    const listed = new Set(COMMANDS.flatMap((command) => command.options.map((option) => (typeof option === 'string' ? option : option[0]))))
    expect([...listed].sort()).toEqual(Object.keys(OPTIONS).sort())
  })
})

describe('assay --help', () => {
  it('shows as each default the value a run with no config and no flags resolves to', async () => {
    const workspace = await createWorkspace()
    const config = await resolveConfig(workspace.root, { env: {} })
    const help = (await runCli(['run', '--help'], { cwd: workspace.root })).stdout
    const line = (flag: string) => help.split('\n').find((entry) => entry.trimStart().startsWith(flag)) ?? ''
    expect(line('--concurrency <n>')).toContain(`(default: ${config.concurrency})`)
    expect(line('--margin <share>')).toContain(`(default: ${config.regressionMargin})`)
    expect(line('--outputDir <dir>')).toContain(`(default: ${config.reportsDir})`)
    expect(line('--reporter <name>')).toContain(`(default: ${config.reporters.join(', ')})`)
    expect(line('--history-file <path>')).toContain(`(default: ${config.history}, or history.path in the config)`)
    expect(line('--record <mode>')).toContain(`else ${config.record})`)
    expect(line('--no-cache')).toContain(`(${config.cache!.dir})`)
    const ttl = /\(default: (\S+)\)/.exec(line('--cache-ttl <duration>'))?.[1]
    expect(parseDuration(ttl!)).toBe(config.cache!.ttlMs)
    expect(line('--batch <n>')).toContain(`(default: ${sequentialDefaults.batch})`)
    // merge-reports honours history.path as run does (cli/merge.ts reads the resolved config).
    const merge = (await runCli(['merge-reports', '--help'], { cwd: workspace.root })).stdout
    expect(merge).toContain(`(default: ${config.history}, or history.path in the config)`)
    const init = (await runCli(['init', '--help'], { cwd: workspace.root })).stdout
    expect(init).toContain(`--model <name>  The Ollama model the first eval runs on (default: ${initDefaults.model}; asked on a terminal)`)
  })

  it('shows no default for --no-cache: the cache is on unless the flag is given', async () => {
    const workspace = await createWorkspace()
    const help = (await runCli(['run', '--help'], { cwd: workspace.root })).stdout
    const line = help.split('\n').find((entry) => entry.trimStart().startsWith('--no-cache')) ?? ''
    expect(line).toContain('Skip the local response cache')
    expect(line).not.toContain('default')
    // Without a default the flag still parses: absent it sets nothing, given it turns the cache off.
    expect(flagLayer(parseFlags('run', {}))).toEqual({})
  })

  it("says what a command does, and its actions, in the command's own help", async () => {
    const workspace = await createWorkspace()
    const help = async (command: string) => (await runCli([command, '--help'], { cwd: workspace.root })).stdout
    expect(await help('fixtures')).toContain('fixtures check: validate every fixture and list unused ones; fixtures prune: remove the unused after a full run')
    expect(await help('cache')).toContain('cache list: entries with hits and age; cache prune: drop expired entries; cache clear: drop all')
    expect(await help('baseline')).toContain('baseline save: accept the last run')
    expect(await help('doctor')).toContain('Check what the selected evals need before a call')
    expect(await help('run')).toContain('Run evals; filters keep eval files whose path contains them')
  })

  it('names the help of the command that was mistyped', async () => {
    const workspace = await createWorkspace()
    const unknown = await runCli(['list', '--record', 'replay'], { cwd: workspace.root })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Unknown option `--record`.')
    expect(unknown.stderr).toContain('Fix: Run `assay list --help` for its arguments and flags.')
    const missing = await runCli(['fixtures'], { cwd: workspace.root })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('Fix: Run `assay fixtures --help` for its arguments and flags.')
    const bare = await runCli(['--nope'], { cwd: workspace.root })
    expect(bare.stderr).toContain('Fix: Run `assay --help` for its arguments and flags.')
  })
})
