import type { CaseResult, EvalResult } from '../../results/types.js'

/**
 * The most samples the page holds. A sample's row is about 1 KB of data, so the page stays near
 * 10 MB (a browser opens it in a moment) however large the run: 100,000 cases made a 99 MB page.
 * results.json, junit.xml and metrics.jsonl still hold every case.
 */
export const PAGE_SAMPLES_MAX = 10_000

/**
 * Each eval's case rows the page shows. All of them when the run fits in `max` samples. Otherwise
 * every case with a failing, errored or flaky row comes first (in run order, as long as room is
 * left), then passing cases in run order, each eval getting a share of the room left in proportion
 * to its passing samples. A case keeps all its variant rows, so they still sit side by side.
 */
export function pageRows(evals: readonly EvalResult[], max: number = PAGE_SAMPLES_MAX): CaseResult[][] {
  let samples = 0
  for (const result of evals) for (const row of result.cases) samples += row.samples.length
  if (samples <= max) return evals.map((result) => result.cases)
  const samplesOf = (rows: readonly CaseResult[]) => rows.reduce((sum, row) => sum + row.samples.length, 0)
  const groups = evals.map((result) => casesById(result))
  const worthSeeing = (rows: readonly CaseResult[]) => rows.some((row) => row.status !== 'pass' || row.flaky)
  const kept = evals.map(() => new Set<string>())
  let room = max
  for (const [index, byId] of groups.entries()) {
    for (const [id, rows] of byId) {
      const cost = samplesOf(rows)
      if (!worthSeeing(rows) || cost > room) continue
      kept[index]!.add(id)
      room -= cost
    }
  }
  const passing = groups.map((byId) => [...byId.values()].reduce((sum, rows) => sum + (worthSeeing(rows) ? 0 : samplesOf(rows)), 0))
  const allPassing = passing.reduce((sum, samples) => sum + samples, 0)
  const shared = room
  for (const [index, byId] of groups.entries()) {
    let share = allPassing === 0 ? 0 : Math.floor((shared * passing[index]!) / allPassing)
    for (const [id, rows] of byId) {
      const cost = samplesOf(rows)
      if (worthSeeing(rows) || cost > share) continue
      kept[index]!.add(id)
      share -= cost
    }
  }
  return evals.map((result, index) => result.cases.filter((row) => kept[index]!.has(row.id)))
}

/** Each case's rows: one per variant, or its one row (a case's id is unique within its eval). */
function casesById(result: EvalResult): Map<string, CaseResult[]> {
  const byId = new Map<string, CaseResult[]>()
  for (const row of result.cases) {
    const group = byId.get(row.id)
    if (group) group.push(row)
    else byId.set(row.id, [row])
  }
  return byId
}
