/** What `assay init` asks, or takes from flags. */
export interface InitAnswers {
  /** The Ollama model the first eval runs on. */
  model: string
  /** A CI workflow that replays fixtures, or none. */
  ci: 'github' | undefined
}

/** A starting file: where it goes, relative to the project root, and what it holds. */
export interface StarterFile {
  path: string
  content: string
}

/** The first template, as `evals/templates/<agent>/<task>_v1.yaml` names it. */
export const STARTER_TEMPLATE = 'summarizer/summarize'
export const STARTER_EVAL = 'summarizer: summarize'

/** Lines `.gitignore` needs: the local cache and the reports are written on every run. */
export const IGNORED = ['.assay/', 'reports/'] as const

/** The files of a new project, for the answers given. */
export function starterFiles({ model, ci }: InitAnswers): StarterFile[] {
  const files: StarterFile[] = [
    {
      path: 'assay.config.ts',
      content: `import { defineConfig } from 'assay'

// Every key is optional; docs/config.md lists them all.
export default defineConfig({
  // Ollama's address; OLLAMA_HOST works too, and http://127.0.0.1:11434 is the default.
  // ollama: { host: 'http://127.0.0.1:11434' },
  include: ['evals/**/*.eval.ts'],
})
`,
    },
    {
      path: `evals/templates/${STARTER_TEMPLATE}_v1.yaml`,
      content: `# A prompt template. Copy it to summarize_v2.yaml to try a change: the highest version is
# the one an eval uses unless it pins one ('${STARTER_TEMPLATE}@1'). Variables are {{name}};
# for literal braces, see docs/templates.md.
version: "1"
description: Summarise a text in at most three sentences, in the language asked for.
system_prompt: |
  You are a careful editor. Answer in {{language}}, in plain prose, with no preamble.
user_prompt_template: |
  Summarise this text in at most three sentences:

  {{text}}
variables:
  - text: str
  - language: str
validation:               # becomes assertions on every answer
  max_length: 600
  expected_language: "{{language}}"
`,
    },
    {
      path: 'golden/summaries.jsonl',
      content: `{"name": "harbour", "vars": {"language": "English", "text": "The harbour authority voted on Tuesday to close the old ferry pier for repairs. Ferries will use the north quay from March until the work ends in October. Fares stay the same, but the first crossing of the day moves to 7:15."}}
{"name": "marche", "vars": {"language": "French", "text": "Le marché couvert de la ville rouvre samedi après deux ans de travaux. Les commerçants retrouvent leurs places d'origine, et un nouvel espace accueille les producteurs locaux le mercredi matin."}}
`,
    },
    {
      path: 'evals/summarize.eval.ts',
      content: `import { assert, evaluate } from 'assay'

// One eval: a template, its cases, and what every answer must satisfy.
// \`npx assay\` runs it; the first run records each answer under fixtures/ (commit them), and
// later runs and CI replay them without a model server.
evaluate('${STARTER_EVAL}', {
  template: '${STARTER_TEMPLATE}',
  model: ${quote(model)},
  options: { temperature: 0, seed: 42 },
  cases: 'golden/summaries.jsonl',
  assert: [assert.length({ min: 40 }), assert.notContains(['Here is a summary', 'As an AI'])],
})
`,
    },
  ]
  if (ci === 'github') {
    files.push({
      path: '.github/workflows/assay.yml',
      content: `# Replays the recorded answers in fixtures/: no model server, no API key, the same verdict on
# every run. A prompt, model or option changed without re-recording fails here with the command
# that records it (CI is set on GitHub's runners, so assay runs in replay mode).
name: evals
on: [push, pull_request]
jobs:
  evals:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npx assay run
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: assay-reports
          path: reports/
`,
    })
  }
  return files
}

/** A single-quoted TypeScript string literal. */
function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}
