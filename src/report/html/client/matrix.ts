/**
 * The side-by-side view of an eval with variants: one row per case, one column per variant, each
 * cell the answer (folded past a few lines), pass/fail and the failing reasons, and on demand a
 * word-level diff against the baseline variant's answer. Built when first opened, 50 rows at a time.
 */
import type { VariantResult } from '../../../results/types.js'
import type { ReportCase, ReportEval } from '../data.js'
import { el, status, type Texts } from './dom.js'

const MATRIX_PAGE = 50
const MATRIX_LINES = 6
const MAX_DIFF_CELLS = 4_000_000

export function matrixSection(e: ReportEval, variants: readonly VariantResult[], text: Texts): HTMLDetailsElement {
  const names = variants.map((v) => v.name)
  const baseline = e.comparisons[0]?.baseline ?? names[0]
  const byCase = new Map<string, Map<string | null, ReportCase>>()
  for (const r of e.rows) {
    const cells = byCase.get(r.id) ?? new Map<string | null, ReportCase>()
    byCase.set(r.id, cells.set(r.variant, r))
  }
  const order = [...byCase.keys()]
  const body = el('tbody')
  const more = el('button', { text: 'Show more' })
  let shown = 0
  let built = false
  const addRows = () => {
    for (const id of order.slice(shown, shown + MATRIX_PAGE)) {
      const cells = byCase.get(id)
      const base = cells?.get(baseline ?? null)
      body.appendChild(el('tr', { 'data-testid': 'matrix-row', 'data-case': id }, [el('td', { text: id }), ...names.map((n) => matrixCell(cells?.get(n), n === baseline ? undefined : base, text))]))
    }
    shown = Math.min(order.length, shown + MATRIX_PAGE)
    more.hidden = shown >= order.length
    more.textContent = `Show more (${order.length - shown} left)`
  }
  more.addEventListener('click', addRows)
  const head = el('tr', {}, [el('th', { text: 'Case' }), ...names.map((n) => el('th', { text: n + (n === baseline ? ' (baseline)' : '') }))])
  const section = el('details', { 'data-testid': 'matrix-section' }, [
    el('summary', { text: `Side by side: ${order.length} cases × ${names.length} variants` }),
    el('table', { className: 'matrix', 'data-testid': 'matrix' }, [el('thead', {}, [head]), body]),
    more,
  ])
  more.hidden = true
  section.addEventListener('toggle', () => {
    if (section.open && !built) {
      built = true
      addRows()
    }
  })
  return section
}

/** One variant's answer to a case; `base` is the baseline variant's, to diff against. */
function matrixCell(r: ReportCase | undefined, base: ReportCase | undefined, text: Texts): HTMLTableCellElement {
  const sample = r?.samples[0]
  if (!r || !sample) return el('td', { className: 'muted', text: '–' })
  const parts: Node[] = [el('div', {}, [status(r.status), r.repeats.total > 1 ? el('span', { className: 'muted', text: ` ${r.repeats.passed}/${r.repeats.total} repeats` }) : null])]
  if (sample.error) parts.push(el('div', { className: 'error', text: sample.error }))
  for (const a of sample.assertions) {
    if (!a.pass && !a.advisory) parts.push(el('div', { className: 'reason', 'data-testid': 'matrix-reason', text: `${text(a.name)}: ${text(a.reason)}` }))
  }
  const answer = sample.output ?? ''
  const pre = el('pre', { className: 'cell', 'data-testid': 'matrix-answer', text: answer })
  parts.push(pre)
  if (answer.split('\n').length > MATRIX_LINES || answer.length > 480) {
    pre.classList.add('folded')
    const unfold = el('button', { 'data-testid': 'unfold', text: 'Unfold' })
    unfold.addEventListener('click', () => {
      pre.classList.toggle('folded')
      unfold.textContent = pre.classList.contains('folded') ? 'Unfold' : 'Fold'
    })
    parts.push(unfold)
  }
  const baseAnswer = base?.samples[0]?.output
  if (baseAnswer !== null && baseAnswer !== undefined && sample.output !== null) {
    let diffing = false
    const toggle = el('button', { 'data-testid': 'diff-toggle', text: 'Diff vs baseline' })
    toggle.addEventListener('click', () => {
      diffing = !diffing
      pre.textContent = ''
      if (diffing) {
        for (const piece of wordDiff(baseAnswer, answer)) pre.appendChild(piece.op === '=' ? document.createTextNode(piece.text) : el(piece.op === '-' ? 'del' : piece.op === '+' ? 'ins' : 'em', { text: piece.text }))
      } else pre.textContent = answer
      toggle.textContent = diffing ? 'Plain answer' : 'Diff vs baseline'
    })
    parts.push(toggle)
  }
  return el('td', { 'data-status': r.status }, parts)
}

/** '=' kept, '-' only in the baseline, '+' only in this answer, '!' a note. */
interface DiffPiece {
  op: '=' | '-' | '+' | '!'
  text: string
}

/** Words and runs of white space of b against a, by longest common subsequence. */
function wordDiff(a: string, b: string): DiffPiece[] {
  const x = a.match(/\s+|[^\s]+/g) ?? []
  const y = b.match(/\s+|[^\s]+/g) ?? []
  if ((x.length + 1) * (y.length + 1) > MAX_DIFF_CELLS) return [{ op: '!', text: '(too long to diff word by word) ' }, { op: '=', text: b }]
  const w = y.length + 1
  const table = new Uint32Array((x.length + 1) * w)
  const at = (i: number, j: number) => table[i * w + j] ?? 0
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) table[i * w + j] = x[i] === y[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1))
  }
  const out: DiffPiece[] = []
  const push = (op: DiffPiece['op'], t: string) => {
    const last = out.at(-1)
    if (last && last.op === op) last.text += t
    else out.push({ op, text: t })
  }
  let p = 0
  let q = 0
  while (p < x.length && q < y.length) {
    const [left, right] = [x[p] ?? '', y[q] ?? '']
    if (left === right) {
      push('=', left)
      p++
      q++
    } else if (at(p + 1, q) >= at(p, q + 1)) {
      push('-', left)
      p++
    } else {
      push('+', right)
      q++
    }
  }
  for (; p < x.length; p++) push('-', x[p] ?? '')
  for (; q < y.length; q++) push('+', y[q] ?? '')
  return out
}
