// Where a run's CPU goes, from V8 CPU profiles: each sample is counted under the first category
// (in the order below) whose function is on its stack, else under REST; figures are averaged over every profile in DIR. docs/scale.md quotes its output for
// the 2,000-case replay. Make the profiles from a bench workspace (bench/workspace.ts), e.g.
//   for i in 1 2 3 4; do rm -rf reports; node --cpu-prof --cpu-prof-dir=/tmp/prof \
//     /path/to/assay/bin/assay.js run --record replay; done
//   node bench/cpu-categories.mjs /tmp/prof [rest]
// `rest` also lists the top stacks of the uncategorised samples. The rules match function names,
// so a renamed function moves its time to "the rest": check that share when you change them.
import { readFileSync, readdirSync } from 'node:fs'
const dir = process.argv[2]
const rules = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['fixture reads (open, read, close, JSON.parse, checks)', (f) => ['readSync', 'readWith', 'readFixture', 'readTextSync'].includes(f.functionName)],
  ['fixture keys (canonical JSON, hash, stored-request check)', (f) => ['fixtureIdentity', 'identityKey', 'canonicalJson', 'sameIdentity', 'sameCanonical'].includes(f.functionName)],
  ['rendering (handlebars)', (f) => f.functionName === 'templateMessages' || f.functionName === 'renderPrompt'],
  ['assertions', (f) => f.functionName === 'runAssertions'],
  ['reports (results.json, JUnit, HTML, console, metrics)', (f) => ['onRunEnd', 'onCasesInOrder', 'writeCases', 'writeFileStreamed', 'writeReportData', 'writeResults', 'writeJunit', 'writePage', 'writeMetrics'].includes(f.functionName)],
  ['results and verdicts (sums, history)', (f) => ['runResults', 'recordRun', 'finishEval', 'evalResult', 'aggregates'].includes(f.functionName)],
  ['config and eval files (jiti, zod)', (f) => ['configFromFlags', 'resolveConfig', 'loadConfigFile', 'importModule', 'collectEvals'].includes(f.functionName) || /jiti/.test(f.url)],
  ['planning (discovery, templates, cases)', (f) => ['planRun', 'selectEvals', 'planEvals', 'planEval', 'open', 'parseJsonLines', 'readCaseFile', 'loadCases', 'withIds', 'loadEvals', 'readTemplate', 'loadYaml'].includes(f.functionName) && /dist/.test(f.url)],
  ['runner bookkeeping (pool, samples, progress, reporters per case)', (f) => ['forEachConcurrent', 'worker', 'runSample', 'addSample', 'onCaseEnd', 'chat', 'find', 'call', 'runEvals', 'runLocked', 'toCallRecord', 'onEvalEnd', 'createReporters', 'runCommand'].includes(f.functionName)],
  ['module loading (compile or the code cache, link, evaluate)', (f) => /modules\/esm|modules\/cjs|compileSourceTextModule|realm/.test(f.url + f.functionName)],
]
const files = readdirSync(dir)

/** Every non-idle sample of every profile in DIR: its stack (innermost frame first) and its ms, averaged per profile. */
function* samples() {
  for (const file of files) {
    const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))
    const byId = new Map(profile.nodes.map((node) => [node.id, node]))
    const parent = new Map()
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
    for (let i = 0; i < profile.samples.length; i++) {
      const stack = []
      for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) stack.push(byId.get(id).callFrame)
      if (stack[0].functionName !== '(idle)') yield { stack, ms: (profile.timeDeltas[i + 1] ?? 0) / 1000 / files.length }
    }
  }
}

const REST = 'Node start-up, event loop and the rest'
const byCategory = new Map()
/** The uncategorised samples by their top three frames, for `rest`. */
const rest = new Map()
let total = 0
for (const { stack, ms } of samples()) {
  total += ms
  const category = rules.find(([, test]) => stack.some(test))?.[0] ?? REST
  byCategory.set(category, (byCategory.get(category) ?? 0) + ms)
  if (category !== REST) continue
  const key = stack.slice(0, 3).map((f) => `${f.functionName || '?'}@${f.url.replace(/.*\//, '')}:${f.lineNumber}`).join(' < ')
  rest.set(key, (rest.get(key) ?? 0) + ms)
}
console.log(`CPU per run ${total.toFixed(0)} ms (${files.length} profiles)`)
for (const [name, ms] of [...byCategory].sort((a, b) => b[1] - a[1])) console.log(`${ms.toFixed(0).padStart(5)} ms ${((100 * ms) / total).toFixed(0).padStart(3)}%  ${name}`)
if (process.argv[3] === 'rest') for (const [key, ms] of [...rest].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(ms.toFixed(1).padStart(6), key)
