/**
 * One eval opened: its variants and verdicts, the baseline check, the trend, latencies,
 * suggestions, and its cases (filtered, 100 at a time), each opening to its samples.
 */
import type { BestSetting } from '../../../results/types.js'
import type { ReportCase, ReportEval } from '../data.js'
import { histogram, intervalChart, trendSection } from './charts.js'
import { el, failingCheck, ms, num, pct, status, type Texts } from './dom.js'
import { matrixSection } from './matrix.js'

const PAGE = 100

export function showEval(panel: HTMLElement, e: ReportEval, text: Texts): void {
  panel.hidden = false
  panel.textContent = ''
  panel.appendChild(el('h2', { text: e.name }))
  panel.appendChild(el('p', { className: 'muted', text: `${e.file} · pass rate ${pct(e.passRate)} (threshold ${pct(e.threshold)}) · ${e.cases} cases` }))
  if (e.variants) {
    panel.appendChild(el('h3', { text: 'Variants' }))
    panel.appendChild(el('p', { text: e.variants.map((v) => `${v.name}: ${v.counts.passed}/${v.counts.cases} passed (${v.status})`).join(' · ') }))
    if (e.sweep) panel.appendChild(bestSetting(e.sweep.best))
    for (const c of e.comparisons) {
      panel.appendChild(el('div', { className: 'comparison' }, [el('div', { className: `verdict ${c.verdict}`, 'data-testid': 'verdict', text: `${c.variant} vs ${c.baseline}: ${c.sentence}` }), intervalChart(c)]))
    }
    panel.appendChild(matrixSection(e, e.variants, text))
  }
  if (e.baseline) {
    panel.appendChild(el('h3', { text: 'Against the baseline' }))
    if (e.baseline.status === 'missing') panel.appendChild(el('p', { className: 'muted', text: `No baseline saved (${e.baseline.file}).` }))
    else for (const c of e.baseline.checks) panel.appendChild(el('div', { className: `verdict ${c.regression ? 'worse' : 'better'}`, text: (c.variant ? `${c.variant}: ` : '') + c.sentence }))
  }
  if (e.trend.length) panel.appendChild(trendSection(e.trend))
  panel.appendChild(el('h3', { text: 'Latency' }))
  panel.appendChild(histogram(e.latencies))
  if (e.suggestions.length) {
    panel.appendChild(el('h3', { text: 'Suggestions' }))
    for (const s of e.suggestions) panel.appendChild(el('div', { className: 'suggestion' }, [el('strong', { text: s.trigger }), el('span', { text: `: ${s.advice.join('; ')}` })]))
  }
  caseTable(panel, e, text)
  panel.scrollIntoView({ block: 'start' })
}

function bestSetting(b: BestSetting): HTMLParagraphElement {
  return el('p', { 'data-testid': 'best-setting' }, [el('strong', { text: 'Best setting: ' }), b.sentence])
}

function caseTable(panel: HTMLElement, e: ReportEval, text: Texts): void {
  const filter = el('input', { type: 'search', placeholder: 'Filter cases', 'aria-label': 'Filter cases' })
  const failed = el('input', { type: 'checkbox' })
  panel.appendChild(el('div', { className: 'toolbar' }, [el('h3', { text: 'Cases' }), filter, el('label', {}, [failed, ' failed only'])]))
  if (e.omitted > 0) {
    const all = e.rows.length + e.omitted
    panel.appendChild(el('p', { className: 'muted', 'data-testid': 'omitted', text: `This page shows ${e.rows.length} of ${all} case rows: every failing, errored or flaky case it has room for, then the first passing ones. results.json has all ${all}.` }))
  }
  const headings = ['Case', 'Variant', 'Status', 'Score', 'Latency', 'Tokens', 'First reason'].map((h) => el('th', { text: h }))
  const body = el('tbody')
  panel.appendChild(el('table', { id: 'cases' }, [el('thead', {}, [el('tr', {}, headings)]), body]))
  const more = el('button', { text: 'Show more' })
  panel.appendChild(more)
  let shown = PAGE
  const rows = () => {
    const q = filter.value.toLowerCase()
    return e.rows.filter((r) => (!failed.checked || r.status !== 'pass') && r.id.toLowerCase().includes(q))
  }
  const renderCases = () => {
    const list = rows()
    body.textContent = ''
    for (const r of list.slice(0, shown)) {
      const first = r.samples[0]
      const failing = first && failingCheck(first)
      const reason = first?.error || (failing ? text(failing.reason) : '')
      const row = el('tr', { className: 'clickable', 'data-testid': 'case-row', 'data-case': r.id }, [
        el('td', { text: r.id }),
        el('td', { text: r.variant ?? '' }),
        el('td', {}, [status(r.status), r.repeats.total > 1 ? el('span', { className: 'muted', text: ` ${r.repeats.passed}/${r.repeats.total}` }) : null, r.flaky ? el('span', { className: 'error', 'data-testid': 'flaky', text: ' flaky' }) : null]),
        el('td', { className: 'num', text: num(first?.score, 3) }),
        el('td', { className: 'num', text: ms(first?.latencyMs) }),
        el('td', { className: 'num', text: first?.tokens === null || first?.tokens === undefined ? '–' : String(first.tokens) }),
        el('td', { text: reason }),
      ])
      row.addEventListener('click', () => toggleCase(row, r))
      body.appendChild(row)
    }
    more.hidden = list.length <= shown
    more.textContent = `Show more (${list.length - shown} left)`
  }
  const fromTop = () => {
    shown = PAGE
    renderCases()
  }
  more.addEventListener('click', () => {
    shown += PAGE
    renderCases()
  })
  filter.addEventListener('input', fromTop)
  failed.addEventListener('change', fromTop)
  renderCases()

  /** Opens or closes a case's samples under its row; with variants, every variant's answer side by side. */
  function toggleCase(row: HTMLTableRowElement, r: ReportCase): void {
    const next = row.nextElementSibling
    if (next && next.className === 'case-detail') {
      next.remove()
      return
    }
    const siblings = e.variants ? e.rows.filter((x) => x.id === r.id) : [r]
    const cell = el('td', { colspan: 7 }, [el('div', { className: 'side', 'data-testid': 'case-detail' }, siblings.map((s) => casePanel(s, text)))])
    row.after(el('tr', { className: 'case-detail' }, [cell]))
  }
}

function casePanel(r: ReportCase, text: Texts): HTMLDivElement {
  const parts: Node[] = [el('h3', { text: `${r.id}${r.variant ? ` — ${r.variant}` : ''} ` }, [status(r.status)])]
  r.samples.forEach((sm, i) => {
    if (r.samples.length > 1) parts.push(el('div', { className: 'muted', text: `Sample ${i + 1}` }))
    const facts = `attempts ${sm.attempts} · latency ${ms(sm.latencyMs)} · tokens ${sm.tokens ?? '–'}${sm.fixture ? ` · fixture ${sm.fixture}` : ''}`
    parts.push(el('div', { className: 'muted', text: facts }))
    if (sm.cutShort) parts.push(el('div', { className: 'error', text: `Stopped early: ${sm.cutShort}` }))
    if (sm.truncated) parts.push(el('div', { className: 'error', 'data-testid': 'truncated', text: `Likely truncated prompt: ${sm.truncated}` }))
    if (sm.error) parts.push(el('div', { className: 'error', text: sm.error }))
    if (sm.system !== null) parts.push(el('details', {}, [el('summary', { text: 'System prompt' }), el('pre', { text: text(sm.system) })]))
    if (sm.user !== null) parts.push(el('details', {}, [el('summary', { text: `User prompt${sm.examples ? ` (after ${sm.examples} few-shot examples)` : ''}` }), el('pre', { text: sm.user })]))
    if (sm.thinking !== null) parts.push(el('details', { 'data-testid': 'thinking' }, [el('summary', { text: `Thinking (${sm.thinking.length} characters, not judged)` }), el('pre', { text: sm.thinking })]))
    if (sm.output !== null) parts.push(outputDetails(sm.output, sm.cut))
    if (sm.toolCalls.length) {
      const calls = sm.toolCalls.map((c, k) => el('div', {}, [el('div', { text: `${k + 1}. ${c.name}` }), el('pre', { text: c.arguments })]))
      parts.push(el('details', { open: 'open', 'data-testid': 'tool-calls' }, [el('summary', { text: `Tool calls (${sm.toolCalls.length})` }), ...calls]))
    }
    if (sm.assertions.length) {
      const rows = sm.assertions.map((a) =>
        el('tr', {}, [el('td', {}, [status(a.pass ? 'pass' : 'fail')]), el('td', { text: text(a.name) + (a.advisory ? ' (advisory)' : '') }), el('td', { className: 'num', text: num(a.score, 3) }), el('td', { text: text(a.reason) })]),
      )
      parts.push(el('table', {}, [el('tbody', {}, rows)]))
    }
  })
  return el('div', { className: 'panel' }, parts)
}

/** The answer, its first 1,200 characters until asked for the rest. */
function outputDetails(output: string, cut: number): HTMLDetailsElement {
  const long = output.length > 1200
  const pre = el('pre', { 'data-testid': 'output', text: long ? `${output.slice(0, 1200)}…` : output })
  const details = el('details', { open: 'open' }, [el('summary', { text: `Output${cut ? ` (${cut} more characters in results.json)` : ''}` }), pre])
  if (long) {
    const all = el('button', { text: 'Show all' })
    all.addEventListener('click', () => {
      pre.textContent = output
      all.remove()
    })
    details.appendChild(all)
  }
  return details
}
