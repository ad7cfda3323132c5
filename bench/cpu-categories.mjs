// Where a run's CPU goes, from V8 CPU profiles: each sample is counted under the first category
// (in the order below) whose function is on its stack, else under "Node start-up, event loop and
// the rest"; figures are averaged over every profile in DIR. docs/scale.md quotes its output for
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
  ['reports (results.json, JUnit, HTML, console, metrics)', (f) => ['onRunEnd', 'writeFileStreamed', 'writeReportData', 'writeResults', 'writeJunit', 'writePage', 'writeLines'].includes(f.functionName)],
  ['results and verdicts (sums, history)', (f) => ['runResults', 'recordRun', 'finishEval', 'evalResult', 'aggregates'].includes(f.functionName)],
  ['config and eval files (jiti, zod)', (f) => ['configFromFlags', 'resolveConfig', 'loadConfigFile', 'importModule', 'collectEvals'].includes(f.functionName) || /jiti/.test(f.url)],
  ['planning (discovery, templates, cases)', (f) => ['planRun', 'selectEvals', 'planEvals', 'planEval', 'open', 'parseJsonLines', 'readCaseFile', 'loadCases', 'withIds', 'loadEvals', 'readTemplate', 'loadYaml'].includes(f.functionName) && /dist/.test(f.url)],
  ['runner bookkeeping (pool, samples, progress, reporters per case)', (f) => ['forEachConcurrent', 'worker', 'runSample', 'addSample', 'onCaseEnd', 'chat', 'find', 'call', 'runEvals', 'runLocked', 'toCallRecord', 'onEvalEnd', 'createReporters', 'runCommand'].includes(f.functionName)],
  ['module loading (compile, link, evaluate)', (f) => /modules\/esm|modules\/cjs|compileSourceTextModule|realm/.test(f.url + f.functionName)],
]
const agg = new Map(); let total = 0; const files = readdirSync(dir)
for (const file of files) {
  const p = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))
  const byId = new Map(p.nodes.map((x) => [x.id, x]))
  const parent = new Map(); for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id)
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000 / files.length
    const stack = []; let id = p.samples[i]
    while (id !== undefined) { stack.push(byId.get(id).callFrame); id = parent.get(id) }
    if (stack[0].functionName === '(idle)') continue
    total += dt
    let cat = 'Node start-up, event loop and the rest'
    outer: for (const [name, test] of rules) for (const f of stack) if (test(f)) { cat = name; break outer }
    agg.set(cat, (agg.get(cat) ?? 0) + dt)
  }
}
console.log(`CPU per run ${total.toFixed(0)} ms (${files.length} profiles)`)
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1])) console.log(`${v.toFixed(0).padStart(5)} ms ${(100 * v / total).toFixed(0).padStart(3)}%  ${k}`)
if (process.argv[3] === 'rest') {
  const rest = new Map()
  for (const file of files) {
    const p = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))
    const byId = new Map(p.nodes.map((x) => [x.id, x]))
    const parent = new Map(); for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id)
    for (let i = 0; i < p.samples.length; i++) {
      const dt = (p.timeDeltas[i + 1] ?? 0) / 1000 / files.length
      const stack = []; let id = p.samples[i]
      while (id !== undefined) { stack.push(byId.get(id).callFrame); id = parent.get(id) }
      if (stack[0].functionName === '(idle)') continue
      if (rules.some(([, test]) => stack.some(test))) continue
      const key = stack.slice(0, 3).map((f) => `${f.functionName || '?'}@${f.url.replace(/.*\//, '')}:${f.lineNumber}`).join(' < ')
      rest.set(key, (rest.get(key) ?? 0) + dt)
    }
  }
  for (const [k, v] of [...rest].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(v.toFixed(1).padStart(6), k)
}
