import { cac } from 'cac'
import { assayVersion } from '../version.js'
import type { CliContext } from './context.js'
import { checkCombinations, COMMANDS, optionHelp, parseFlags, type CommandName, type Flags } from './options.js'
import { printFailure } from './print-error.js'
import { printErr, useTerminal } from './terminal.js'

type Handler = (args: unknown[], flags: Flags, context: CliContext) => Promise<number>

/** Each command's handler, imported only when it runs: `--version` and `--help` load none of them. */
const HANDLERS: Record<CommandName, Handler> = {
  run: async ([filters], flags, context) => (await import('./run.js')).runCommand(filters as unknown[], flags, context),
  baseline: async ([action, filters], flags, context) => (await import('./baseline.js')).baselineCommand(String(action), filters as unknown[], flags, context),
  fixtures: async ([action], flags, context) => (await import('./fixtures.js')).fixturesCommand(String(action), flags, context),
  cache: async ([action], flags, context) => (await import('./cache.js')).cacheCommand(String(action), flags, context),
  'merge-reports': async ([dir], flags, context) => (await import('./merge.js')).mergeCommand(dir === undefined ? undefined : String(dir), flags, context),
  compare: async ([before, after], flags, context) => (await import('./compare.js')).compareCommand(String(before), String(after), flags, context),
  list: async ([filters], flags, context) => (await import('./list.js')).listCommand(filters as unknown[], flags, context),
  history: async ([filters], flags, context) => (await import('./history.js')).historyCommand(filters as unknown[], flags, context),
  init: async ([dir], flags, context) => (await import('./init.js')).initCommand(dir === undefined ? undefined : String(dir), flags, context),
  doctor: async ([filters], flags, context) => (await import('./doctor.js')).doctorCommand(filters as unknown[], flags, context),
}

/**
 * Parses the command line, then imports the command it names, and returns the exit code. `io`
 * replaces the process's folder, environment and streams, so a test can run any command
 * in-process; without it, the output guard stays on the process's console until it exits.
 */
export async function main(argv: string[] = process.argv, io?: Partial<CliContext>): Promise<number> {
  const context: CliContext = { cwd: io?.cwd ?? process.cwd(), env: io?.env ?? process.env, stdout: io?.stdout ?? process.stdout, stderr: io?.stderr ?? process.stderr }
  const restore = useTerminal(context)
  try {
    return await parseAndRun(argv, context)
  } finally {
    if (io) restore()
  }
}

/**
 * The commands to register with cac: `assay run ...` needs only its own (each registration
 * builds every option's help, ~2 ms for all of them); a help request, and anything that names
 * no command, gets them all, so help lists them and cac picks the default command as before.
 */
function commandsFor(argv: string[]): typeof COMMANDS {
  const named = COMMANDS.filter((command) => command.usage.split(' ')[0] === argv[2])
  return named.length > 0 && !argv.some((arg) => arg === '-h' || arg === '--help') ? named : COMMANDS
}

async function parseAndRun(argv: string[], context: CliContext): Promise<number> {
  const cli = cac('assay')
  let chosen: { name: CommandName; args: unknown[]; raw: Record<string, unknown> } | undefined
  for (const command of commandsFor(argv)) {
    const registered = cli.command(command.usage, command.description)
    for (const option of command.options) {
      const { rawName, description } = optionHelp(option)
      registered.option(rawName, description)
      // cac gives a --no-x flag the default true, and prints "(default: true)" after "Skip ...":
      // the table says what the default is, and a flag left out sets nothing (options.ts).
      const added = registered.options.at(-1)!
      if (added.negated) added.config.default = undefined
    }
    registered.action((...args: unknown[]) => {
      const raw = args.pop() as Record<string, unknown>
      chosen = { name: command.name, args, raw }
    })
  }
  // cac lists what each command does only in `assay --help`; a command's own help says it too.
  cli.help((sections) => {
    const command = COMMANDS.find((entry) => entry.usage === cli.matchedCommand?.rawName)
    if (!command || cli.matchedCommand?.isDefaultCommand) return sections
    return [...sections.slice(0, 2), { body: `  ${command.description}` }, ...sections.slice(2)]
  })
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
    if (!chosen) return 0
    const flags = parseFlags(chosen.name, chosen.raw)
    checkCombinations(flags)
    return await HANDLERS[chosen.name](chosen.args, flags, context)
  } catch (error) {
    const help = cli.matchedCommand?.isDefaultCommand === false ? `assay ${cli.matchedCommand.name} --help` : 'assay --help'
    return printFailure(error, printErr, help)
  }
}
