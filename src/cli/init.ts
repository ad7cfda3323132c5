import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { join, relative, resolve } from 'pathe'
import { initDefaults } from '../config/defaults.js'
import { AssayError } from '../errors.js'
import type { InitAnswers } from '../init/files.js'
import { initProject } from '../init/project.js'
import type { CliContext } from './context.js'
import type { Flags } from './options.js'
import { printOut } from './terminal.js'

const CI_KINDS = ['github', 'none'] as const

/** One question on a terminal: the answer, or `fallback` for an empty line. */
export type Ask = (question: string, fallback: string) => Promise<string>

/**
 * `assay init [dir]`: the starter files of a project. Flags answer every question; on a terminal
 * the ones not given are asked, elsewhere (CI, scripts, tests) the defaults are taken.
 */
export async function initCommand(dir: string | undefined, flags: Flags, context: CliContext, ask: Ask | undefined = terminalAsk(context)): Promise<number> {
  if (dir !== undefined && flags.dir !== undefined && resolve(context.cwd, dir) !== resolve(context.cwd, flags.dir)) {
    throw new AssayError('ASSAY_USAGE', `assay init got two folders: "${dir}" and --dir "${flags.dir}".`, { fix: 'Give the folder once.' })
  }
  const root = resolve(context.cwd, dir ?? flags.dir ?? '.')
  const answers = await collectAnswers(flags, ask)
  const outcome = await initProject(root, answers)
  const where = relative(context.cwd, root) || '.'
  printOut(`\nassay init in ${where}\n\n`)
  for (const file of outcome.created) printOut(`  created  ${file}\n`)
  for (const file of outcome.skipped) printOut(`  skipped  ${file} (it exists; left as it was)\n`)
  if (outcome.ignored.length > 0) printOut(`  updated  .gitignore (added ${outcome.ignored.join(', ')})\n`)
  if (outcome.created.length === 0 && outcome.ignored.length === 0) printOut('\nNothing to do: every file is already there, and no file was changed.\n')
  // An eval that was already there keeps its own model, which need not be the one given or asked.
  const model = outcome.skipped.some((file) => file.endsWith('.eval.ts')) ? "the eval's model" : answers.model
  const steps = [
    ...(where === '.' ? [] : [`cd ${where}`]),
    'npx assay list            check the eval, its template and cases (no model call)',
    'npx assay run --dry-run   what a run would call',
    `npx assay doctor          Ollama up, ${model} pulled, fixtures and prompts in shape`,
    'npx assay                 run; answers are recorded under fixtures/ (commit them)',
  ]
  printOut(`\nNext:\n${steps.map((step) => `  ${step}\n`).join('')}`)
  if (!existsSync(join(root, 'package.json'))) {
    printOut('\nThere is no package.json here: `npm init -y && npm install --save-dev assay` gives the eval its types, and CI its install.\n')
  }
  return 0
}

async function collectAnswers(flags: Flags, ask: Ask | undefined): Promise<InitAnswers> {
  const model = flags.model ?? (ask ? await ask(`Ollama model to evaluate`, initDefaults.model) : initDefaults.model)
  if (!/^[\w.:/@-]+$/.test(model)) {
    throw new AssayError('ASSAY_USAGE', `--model "${model}" is not a model name.`, { fix: `Give Ollama's name for it, as \`ollama list\` shows it: --model ${initDefaults.model}.` })
  }
  let ci = flags.ci
  if (ci === undefined && ask) ci = /^y(es)?$/i.test(await ask('Add a GitHub Actions workflow that replays fixtures? (y/N)', 'n')) ? 'github' : 'none'
  if (ci !== undefined && !(CI_KINDS as readonly string[]).includes(ci)) {
    throw new AssayError('ASSAY_USAGE', `--ci "${ci}" is not a CI assay writes a workflow for.`, { fix: 'Write --ci github, or leave it out.' })
  }
  return { model, ci: ci === 'github' ? 'github' : undefined }
}

/** Questions only when both ends are a terminal: a pipe or CI never waits for an answer. */
function terminalAsk(context: CliContext): Ask | undefined {
  if (!process.stdin.isTTY || !context.stdout.isTTY) return undefined
  return async (question, fallback) => {
    const terminal = createInterface({ input: process.stdin, output: process.stdout })
    try {
      const answer = (await terminal.question(`${question} [${fallback}]: `)).trim()
      return answer === '' ? fallback : answer
    } finally {
      terminal.close()
    }
  }
}
