// The layers of src/ (docs/architecture.md draws them), checked by `npm run lint`.
//
//   entry points   cli/, vitest/, index.ts         nothing imports them
//   runner         runner/, doctor/, init/         import the parts and below
//   parts          config, discovery, cases, templates, providers, recording,
//                  assertions, metrics, compare, baselines, history
//   reports        report/                         reads results/ and the bottom only; the HTML
//                                                  page's script (report/html/client/) only their types
//   bottom         results/ (types, aggregates, file names, slugs), stats/ (pure), output/ (the
//                  choke point), errors.ts, git.ts, pace.ts, zod-issues.ts, atomic-write.ts,
//                  import-module.ts, version.ts, yaml.ts,
//                  text-file.ts (bounded, strict reading of data files), code-cache.ts (the run
//                  command's script with V8's code cache; scripts/build.mjs makes the script)
//
// Imports point down. No cycles, between files or folders.

const BOTTOM = '^src/(results/|stats/|output/|errors\\.ts$|git\\.ts$|pace\\.ts$|zod-issues\\.ts$|atomic-write\\.ts$|import-module\\.ts$|version\\.ts$|yaml\\.ts$|text-file\\.ts$|code-cache\\.ts$)'
const PARTS = '^src/(config|discovery|cases|templates|providers|recording|assertions|metrics|compare|baselines|history)/'
const COMMANDS = '^src/cli/(run|list|dry-run|watch|merge|baseline|compare|fixtures|cache|init|doctor)\\.ts$'
const ENTRIES = '^src/(cli/|vitest/|index\\.ts$)'

/** A rule that `from` imports nothing under src/ but what `allowed` matches. */
function importsOnly(name, comment, from, allowed) {
  return { name, severity: 'error', comment, from: { path: from }, to: { path: '^src/', pathNot: allowed } }
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle ties its files into one: move the shared piece (often a type) down a layer.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Two folders that import each other are one part in two places: move the shared piece down.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    importsOnly('bottom-imports-only-bottom', 'results/, stats/ and the shared leaves are what everything stands on: they import nothing above them.', BOTTOM, BOTTOM),
    importsOnly('stats-is-pure', 'stats/ takes values and returns values: it imports no other part of assay.', '^src/stats/', '^src/(stats/|errors\\.ts$)'),
    importsOnly('report-reads-results-only', 'A reporter reads the results model; what it shows is computed before it, in results/.', '^src/report/', ['^src/report/', BOTTOM]),
    {
      name: 'report-client-imports-only-types',
      severity: 'error',
      comment: "report/html/client/ runs in the page, bundled into one script: from outside its folder it imports types only (the report data's), which are erased.",
      from: { path: '^src/report/html/client/' },
      to: { pathNot: '^src/report/html/client/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-imports-the-report-client',
      severity: 'error',
      comment: 'The page script is browser code, type-checked as its own project: client-script.ts bundles it by path, and Node code never imports it.',
      from: { path: '^src/', pathNot: '^src/report/html/client/' },
      to: { path: '^src/report/html/client/' },
    },
    {
      name: 'parts-do-not-import-up',
      severity: 'error',
      comment: 'A part is called by the runner and the CLI; it never calls them, nor a reporter.',
      from: { path: PARTS },
      to: { path: ['^src/runner/', '^src/doctor/', '^src/init/', '^src/report/', ENTRIES] },
    },
    importsOnly('config-imports-no-part', 'Every part reads the config: config/ imports only the bottom.', '^src/config/', ['^src/config/', BOTTOM]),
    {
      name: 'runner-does-not-import-entries',
      severity: 'error',
      comment: 'The runner is driven by the CLI and the vitest matchers, never the other way; it knows reporters by their interface (and the redacting wrapper they all sit behind) only.',
      from: { path: '^src/runner/' },
      to: { path: [ENTRIES, '^src/report/(?!(types|redact)\\.ts$)'] },
    },
    {
      name: 'nothing-imports-an-entry',
      severity: 'error',
      comment: 'cli/, vitest/ and index.ts are where assay is entered; inside cli/, commands share code through files other than index.ts.',
      from: { path: '^src/' },
      to: { path: ['^src/index\\.ts$', '^src/cli/index\\.ts$', '^src/vitest/'], pathNot: '^src/vitest/' },
    },
    {
      name: 'commands-do-not-import-commands',
      severity: 'error',
      comment: 'One CLI command does not reach into another: what two share lives in cli/flags.ts, cli/reporters.ts or below the CLI. `run` alone loads its two modes, --dry-run and --watch.',
      from: { path: COMMANDS, pathNot: '^src/cli/run\\.ts$' },
      to: { path: COMMANDS },
    },
    {
      name: 'run-imports-only-its-modes',
      severity: 'error',
      comment: 'See commands-do-not-import-commands.',
      from: { path: '^src/cli/run\\.ts$' },
      to: { path: COMMANDS, pathNot: '^src/cli/(dry-run|watch)\\.ts$' },
    },
    {
      name: 'cli-only-from-cli',
      severity: 'error',
      comment: 'Nothing below the CLI imports it.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'every-file-has-a-layer',
      severity: 'error',
      comment: 'A new folder or top-level file is placed in a layer above (BOTTOM, PARTS, ...) before it imports anything.',
      from: { path: '^src/', pathNot: [BOTTOM, PARTS, '^src/(runner|doctor|init)/', '^src/report/', ENTRIES] },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type is a dependency like any other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
}
