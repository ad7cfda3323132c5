import { cac } from 'cac'
import { assayVersion } from '../version.js'
import type { CliFlags } from './flags.js'
import type { InitFlags } from './init.js'
import { printFailure } from './print-error.js'
import { guardConsole, printErr } from './terminal.js'

/** Parses the command line, then imports the command it names; keeps `--version` fast. */
export async function main(argv: string[] = process.argv): Promise<number> {
  guardConsole()
  const cli = cac('assay')
  type Command = ReturnType<typeof cli.command>
  const projectOptions = (command: Command) =>
    command
      .option('--config <path>', 'Config file (default: assay.config.ts in the root, if present)')
      .option('--root <dir>', 'Project root (default: the current directory)')
  const selectOptions = (command: Command) => projectOptions(command.option('-t, --testNamePattern <pattern>', 'Only evals whose name matches this regular expression'))

  let run: (() => Promise<number>) | undefined
  const runCommand = (command: Command) =>
    selectOptions(command)
      .option('--record <mode>', 'replay | new | all | off (default: replay when CI is set, else new)')
      .option('--concurrency <n>', 'Model calls in flight per server, for every provider (default: 2)')
      .option('--repeat <n>', "Samples per case, overriding each eval (default: the eval's repeat, or 1)")
      .option('--baseline-variant <name>', 'The variant others are compared against (default: the first declared)')
      .option('--baseline', 'Compare each eval with its saved baseline; fail on a significant regression beyond the margin')
      .option('--margin <share>', 'Pass-rate drop tolerated by --baseline, e.g. 0.05 for 5 points (default: 0.05)')
      .option('--no-cache', 'Skip the local response cache (.assay/cache) for this run')
      .option('--cache-ttl <duration>', 'How long cached answers stay usable: 90m, 1d, 4w (default: 7d)')
      .option('--reporter <name>', 'default | verbose | dot | json | junit | html | metrics | github; repeat or comma-separate (default: default, json, junit, html, metrics)')
      .option('--outputDir <dir>', 'Where report files go (default: reports)')
      .option('--failed', 'Run again only the cases that did not pass in the last reports/results.json')
      .option('--retry-errors', 'Run again only the cases that could not be judged (server down, timeout) last time')
      .option('--resume', 'Continue an interrupted run: keep the finished cases, run the rest')
      .option('--dry-run', 'Count the model calls a run would make, how many are recorded, and the prompt tokens; call nothing')
      .option('--flaky', 'With --repeat: list the cases whose repeats disagree, and exit 0')
      .option('--watch', 'Run, then rerun the evals a saved eval file, template, partial or cases file affects')
      .option('--shard <i/n>', 'Run one share of the cases (e.g. 2/4) and write reports/blob-2-of-4.json for merge-reports')
      .option('--until-significant', 'Evals with variants add cases in batches until a group-sequential test settles pass rate')
      .option('--max-cases <n>', 'With --until-significant: stop after this many cases (default: all)')
      .option('--batch <n>', 'With --until-significant: cases added per look (default: 10)')
      .option('--history-file <path>', 'Append the run history here (default: .assay/history.jsonl, or history.path in the config)')
      .action((filters: string[], flags: CliFlags) => {
        run = async () => (await import('./run.js')).runCommand(filters, flags)
      })
  runCommand(cli.command('[...filters]', 'Run evals (same as `assay run`)'))
  runCommand(cli.command('run [...filters]', 'Run evals; filters keep eval files whose path contains them'))
  selectOptions(cli.command('baseline <action> [...filters]', 'baseline save: accept the last run (reports/results.json) as the baseline of its evals'))
    .action((action: string, filters: string[], flags: CliFlags) => {
      run = async () => (await import('./baseline.js')).baselineCommand(action, filters, flags)
    })
  projectOptions(cli.command('fixtures <action>', 'fixtures check: validate every fixture and list unused ones; fixtures prune: remove the unused after a full run'))
    .action((action: string, flags: CliFlags) => {
      run = async () => (await import('./fixtures.js')).fixturesCommand(action, flags)
    })
  projectOptions(cli.command('cache <action>', 'cache list: entries with hits and age; cache prune: drop expired entries; cache clear: drop all'))
    .option('--cache-ttl <duration>', 'The TTL prune uses (default: the config, or 7d)')
    .action((action: string, flags: CliFlags) => {
      run = async () => (await import('./cache.js')).cacheCommand(action, flags)
    })
  projectOptions(cli.command('merge-reports [dir]', 'Merge the shard blobs in dir (default: reports/) into the reports one run would write'))
    .option('--reporter <name>', 'As for run (default: the config reporters)')
    .option('--outputDir <dir>', 'Where the merged reports go (default: reports)')
    .option('--history-file <path>', 'Append the merged run to this history file (default: .assay/history.jsonl)')
    .action((dir: string | undefined, flags: CliFlags) => {
      run = async () => (await import('./merge.js')).mergeCommand(dir, flags)
    })
  cli
    .command('compare <before> <after>', 'Compare two saved results.json files, eval by eval, case by case')
    .option('--root <dir>', 'Project root (default: the current directory)')
    .action((before: string, after: string, flags: CliFlags) => {
      run = async () => (await import('./compare.js')).compareCommand(before, after, flags)
    })
  selectOptions(cli.command('list [...filters]', 'List evals with their template, model and case count; checks them (and warns about unused template variables) without calling a model'))
    .option('--coverage', 'Also list every template version, active or not, and the evals that use it')
    .action((filters: string[], flags: CliFlags) => {
      run = async () => (await import('./list.js')).listCommand(filters, flags)
    })
  selectOptions(cli.command('history [...filters]', 'Pass rate over time per eval and template version, from the run history'))
    .option('--since <duration>', 'Only runs in this window: 12h, 7d, 4w (default: all)')
    .option('--json', 'Print the records as a JSON array')
    .option('--history-file <path>', 'The history file to read (default: .assay/history.jsonl, or history.path in the config)')
    .action((filters: string[], flags: CliFlags) => {
      run = async () => (await import('./history.js')).historyCommand(filters, flags)
    })
  cli
    .command('init [dir]', 'Start a project in dir (default: here): config, a template, cases, an eval, .gitignore lines; never overwrites a file')
    .option('--dir <dir>', 'The folder, as a flag (same as [dir])')
    .option('--model <name>', 'The Ollama model the first eval runs on (default: llama3.2; asked on a terminal)')
    .option('--ci <kind>', 'github: also write .github/workflows/assay.yml, which replays fixtures (asked on a terminal)')
    .action((dir: string | undefined, flags: InitFlags) => {
      run = async () => (await import('./init.js')).initCommand(dir, flags)
    })
  selectOptions(cli.command('doctor [...filters]', 'Check what the selected evals need before a call: evals, templates and cases valid, fixtures for replay, each model server up with its models pulled and room for the longest prompt'))
    .option('--record <mode>', 'The record mode to check for (default: replay when CI is set, else new)')
    .action((filters: string[], flags: CliFlags) => {
      run = async () => (await import('./doctor.js')).doctorCommand(filters, flags)
    })
  cli.help()
  cli.version(assayVersion)

  try {
    cli.parse(argv, { run: false })
    if (cli.options.help || cli.options.version) {
      await cli.runMatchedCommand()
      return 0
    }
    if (!cli.matchedCommand) {
      printErr(`assay: unknown command "${cli.args[0]}". Run \`assay --help\` for the commands.\n`)
      return 2
    }
    await cli.runMatchedCommand()
    return run ? await run() : 0
  } catch (error) {
    return printFailure(error)
  }
}
