/**
 * The report page's script: reads the data page.ts embedded (a ReportData, see data.ts) and draws
 * the run summary, the sortable eval table, template coverage, and an eval's detail on demand,
 * opening the first failed eval. Compiled into the page as one classic script (client-script.ts);
 * it imports nothing at run time from outside this folder, only types.
 */
import type { TemplateCoverage } from '../../../results/types.js'
import type { ReportData, ReportEval } from '../data.js'
import { byId, el, inputById, ms, num, pct, status, texts } from './dom.js'
import { showEval } from './eval-detail.js'

/** The eval table's columns: the field each sorts by, its heading, and whether it holds numbers. */
const COLUMNS = [
  ['name', 'Eval', false],
  ['status', 'Status', false],
  ['passRate', 'Pass rate', true],
  ['meanScore', 'Mean score', true],
  ['p50', 'p50 latency', true],
  ['p95', 'p95 latency', true],
  ['tokens', 'Tokens', true],
  ['cases', 'Cases', true],
] as const satisfies readonly (readonly [keyof ReportEval, string, boolean])[]
type SortKey = (typeof COLUMNS)[number][0]

const data = JSON.parse(byId('assay-data').textContent ?? '') as ReportData
const text = texts(data.strings)
let sortKey: SortKey | undefined
let ascending = true
let selected: number | undefined

summary(data)
const headings = COLUMNS.map(([key, label, numeric]) => {
  const th = el('th', { 'data-key': key, className: numeric ? 'num' : undefined, text: label })
  th.addEventListener('click', () => sortBy(key, th))
  return th
})
byId('evals').querySelector('thead tr')?.append(...headings)
inputById('eval-filter').addEventListener('input', renderEvals)
inputById('eval-failed').addEventListener('change', renderEvals)
renderEvals()
if (data.coverage) renderCoverage(data.coverage)
const firstFailed = data.evals.findIndex((e) => e.status !== 'pass')
document.body.setAttribute('data-ready', 'true')
if (firstFailed >= 0) selectEval(firstFailed)

function summary(report: ReportData): void {
  const s = report.summary
  document.title = report.title
  byId('run-status').appendChild(status(s.status))
  byId('run-meta').textContent = `started ${s.startedAt}${report.git ? ` · commit ${report.git}` : ''} · record mode ${s.record}`
  const cards: [string, string][] = [
    ['Evals', `${s.evals.passed} passed / ${s.evals.total}`],
    ['Failed evals', String(s.evals.failed)],
    ['Pass rate', pct(s.cases.total ? s.cases.passed / s.cases.total : null)],
    ['Cases', String(s.cases.total)],
    ['Errors', String(s.cases.errored)],
    ['Duration', ms(s.durationMs)],
    ['Record mode', s.record],
    ['Calls', `${s.calls.fixture} replayed, ${s.calls.live} live`],
    ['Models', s.models.join(', ') || '–'],
  ]
  const section = byId('summary')
  for (const [key, value] of cards) section.appendChild(el('div', { className: 'card' }, [el('div', { className: 'k', text: key }), el('div', { className: 'v', text: value })]))
}

function sortBy(key: SortKey, th: HTMLElement): void {
  ascending = sortKey === key ? !ascending : true
  sortKey = key
  for (const h of headings) h.classList.remove('sorted', 'asc')
  th.classList.add('sorted')
  if (ascending) th.classList.add('asc')
  renderEvals()
}

function renderEvals(): void {
  const filter = inputById('eval-filter').value.toLowerCase()
  const failedOnly = inputById('eval-failed').checked
  const rows = data.evals.map((e, i) => ({ e, i })).filter(({ e }) => (!failedOnly || e.status !== 'pass') && e.name.toLowerCase().includes(filter))
  const key = sortKey
  if (key) {
    rows.sort((a, b) => {
      const [x, y] = [a.e[key], b.e[key]]
      if (x === y) return 0
      if (x === null) return 1
      if (y === null) return -1
      return (x < y ? -1 : 1) * (ascending ? 1 : -1)
    })
  }
  const body = byId('evals').querySelector('tbody')
  if (!body) return
  body.textContent = ''
  for (const { e, i } of rows) {
    body.appendChild(
      el('tr', { className: `clickable${selected === i ? ' selected' : ''}`, 'data-testid': 'eval-row', onclick: () => selectEval(i) }, [
        el('td', {}, [el('div', { text: e.name }), el('div', { className: 'muted', text: e.file })]),
        el('td', {}, [status(e.status)]),
        el('td', { className: 'num', text: pct(e.passRate) }),
        el('td', { className: 'num', text: num(e.meanScore, 3) }),
        el('td', { className: 'num', text: ms(e.p50) }),
        el('td', { className: 'num', text: ms(e.p95) }),
        el('td', { className: 'num', text: String(e.tokens) }),
        el('td', { className: 'num', text: String(e.cases) }),
      ]),
    )
  }
}

function selectEval(index: number): void {
  const e = data.evals[index]
  if (!e) return
  selected = index
  renderEvals()
  showEval(byId('eval-detail'), e, text)
}

function renderCoverage(cv: TemplateCoverage): void {
  const section = byId('coverage')
  section.hidden = false
  const gate = cv.gate ? ` · coverage.templates ${pct(cv.gate.min)}${cv.gate.pass ? ' met' : ' NOT met'}` : ''
  section.appendChild(el('h2', { text: 'Template coverage' }))
  const line = `${cv.activeUsed} of ${cv.active} active template versions used (${pct(cv.share)})${gate}`
  section.appendChild(el('p', { className: cv.gate && !cv.gate.pass ? 'error' : 'muted', 'data-testid': 'coverage-summary', text: line }))
  const rows = cv.templates.map((t) => {
    const unused = t.active && !t.usedBy.length
    const usedBy = t.invalid ? `does not load: ${t.invalid}` : t.usedBy.length ? t.usedBy.join(', ') : 'unused'
    return el('tr', { 'data-testid': 'coverage-row', 'data-unused': unused ? 'true' : 'false' }, [
      el('td', { text: `${t.name}@${t.version}` }),
      el('td', { className: 'muted', text: t.file }),
      el('td', { text: t.active ? 'yes' : 'no' }),
      el('td', { className: t.invalid || unused ? 'error' : '', text: usedBy }),
    ])
  })
  const head = el('tr', {}, ['Template', 'File', 'Active', 'Used by'].map((h) => el('th', { text: h })))
  section.appendChild(el('table', { 'data-testid': 'coverage' }, [el('thead', {}, [head]), el('tbody', {}, rows)]))
}
