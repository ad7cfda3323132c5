import type { TemplateCoverage } from '../results/types.js'

/** `3 of 4 active template versions used (75.0%)`, and the gate's outcome when there is one. */
export function coverageSummary(coverage: TemplateCoverage): string {
  const share = `${coverage.activeUsed} of ${coverage.active} active template version${coverage.active === 1 ? '' : 's'} used (${(coverage.share * 100).toFixed(1)}%)`
  const gate = coverage.gate
  if (!gate) return share
  return `${share}; coverage.templates ${(gate.min * 100).toFixed(0)}% ${gate.pass ? 'met' : 'NOT met: the run fails'}`
}

/** One line per template version: name@version, active or not, and who uses it (or why it does not load). */
export function coverageTable(coverage: TemplateCoverage): string[] {
  const width = Math.max(...coverage.templates.map((entry) => `${entry.name}@${entry.version}`.length), 8)
  return coverage.templates.map((entry) => {
    const label = `${entry.name}@${entry.version}`.padEnd(width)
    const state = entry.active ? 'active  ' : 'inactive'
    const use = entry.invalid !== undefined ? `does not load: ${entry.invalid}` : entry.usedBy.length > 0 ? `used by ${entry.usedBy.join(', ')}` : 'UNUSED'
    return `${label}  ${state}  ${use}`
  })
}
