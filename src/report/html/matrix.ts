/**
 * The side-by-side view of an eval with variants, as client code spliced into the page's script
 * (it uses the page's el, status and text helpers): one row per case, one column per variant, each
 * cell the answer (folded past a few lines), pass/fail and the failing reasons, and on demand a
 * word-level diff against the baseline variant's answer. Built when first opened, 50 rows at a time.
 * Plain ES2019, no template literals. Every text goes in through textContent.
 */
export const MATRIX_CLIENT = String.raw`
  var MATRIX_PAGE = 50, MATRIX_LINES = 6, MAX_DIFF_CELLS = 4000000;

  function matrixSection(e) {
    var names = e.variants.map(function (v) { return v.name; });
    var baseline = e.comparisons.length ? e.comparisons[0].baseline : names[0];
    var byCase = {}, order = [];
    e.rows.forEach(function (r) { if (!byCase[r.id]) { byCase[r.id] = {}; order.push(r.id); } byCase[r.id][r.variant] = r; });
    var body = el('tbody'), shown = 0, built = false;
    var more = el('button', { text: 'Show more' });
    function addRows() {
      order.slice(shown, shown + MATRIX_PAGE).forEach(function (id) {
        var cells = byCase[id];
        body.appendChild(el('tr', { 'data-testid': 'matrix-row', 'data-case': id }, [el('td', { text: id })].concat(names.map(function (n) {
          return matrixCell(cells[n], n === baseline ? null : cells[baseline]);
        }))));
      });
      shown = Math.min(order.length, shown + MATRIX_PAGE);
      more.hidden = shown >= order.length;
      more.textContent = 'Show more (' + (order.length - shown) + ' left)';
    }
    more.addEventListener('click', addRows);
    var head = el('tr', {}, [el('th', { text: 'Case' })].concat(names.map(function (n) { return el('th', { text: n + (n === baseline ? ' (baseline)' : '') }); })));
    var section = el('details', { 'data-testid': 'matrix-section' }, [
      el('summary', { text: 'Side by side: ' + order.length + ' cases × ' + names.length + ' variants' }),
      el('table', { className: 'matrix', 'data-testid': 'matrix' }, [el('thead', {}, [head]), body]), more
    ]);
    more.hidden = true;
    section.addEventListener('toggle', function () { if (section.open && !built) { built = true; addRows(); } });
    return section;
  }

  function matrixCell(r, base) {
    if (!r) return el('td', { className: 'muted', text: '–' });
    var sm = r.samples[0];
    var parts = [el('div', {}, [status(r.status), r.repeats.total > 1 ? el('span', { className: 'muted', text: ' ' + r.repeats.passed + '/' + r.repeats.total + ' repeats' }) : null])];
    if (sm.error) parts.push(el('div', { className: 'error', text: sm.error }));
    sm.assertions.forEach(function (a) {
      if (!a.pass && !a.advisory) parts.push(el('div', { className: 'reason', 'data-testid': 'matrix-reason', text: text(a.name) + ': ' + text(a.reason) }));
    });
    var answer = sm.output === null ? '' : sm.output;
    var pre = el('pre', { className: 'cell', 'data-testid': 'matrix-answer', text: answer });
    parts.push(pre);
    if (answer.split('\n').length > MATRIX_LINES || answer.length > 480) {
      pre.classList.add('folded');
      parts.push(el('button', { 'data-testid': 'unfold', text: 'Unfold', onclick: function (ev) {
        pre.classList.toggle('folded'); ev.target.textContent = pre.classList.contains('folded') ? 'Unfold' : 'Fold';
      } }));
    }
    var baseAnswer = base && base.samples[0].output;
    if (baseAnswer !== null && baseAnswer !== undefined && sm.output !== null) {
      var diffing = false;
      parts.push(el('button', { 'data-testid': 'diff-toggle', text: 'Diff vs baseline', onclick: function (ev) {
        diffing = !diffing;
        pre.textContent = '';
        if (diffing) wordDiff(baseAnswer, answer).forEach(function (piece) {
          pre.appendChild(piece.op === '=' ? document.createTextNode(piece.text) : el(piece.op === '-' ? 'del' : piece.op === '+' ? 'ins' : 'em', { text: piece.text }));
        });
        else pre.textContent = answer;
        ev.target.textContent = diffing ? 'Plain answer' : 'Diff vs baseline';
      } }));
    }
    return el('td', { 'data-status': r.status }, parts);
  }

  /** Words and runs of white space of b against a, by longest common subsequence: '=' kept, '-' only in a, '+' only in b. */
  function wordDiff(a, b) {
    var x = a.match(/\s+|[^\s]+/g) || [], y = b.match(/\s+|[^\s]+/g) || [];
    if ((x.length + 1) * (y.length + 1) > MAX_DIFF_CELLS) return [{ op: '!', text: '(too long to diff word by word) ' }, { op: '=', text: b }];
    var w = y.length + 1, table = new Uint32Array((x.length + 1) * w);
    for (var i = x.length - 1; i >= 0; i--) for (var j = y.length - 1; j >= 0; j--) {
      table[i * w + j] = x[i] === y[j] ? table[(i + 1) * w + j + 1] + 1 : Math.max(table[(i + 1) * w + j], table[i * w + j + 1]);
    }
    var out = [], p = 0, q = 0;
    function push(op, t) { var last = out[out.length - 1]; if (last && last.op === op) last.text += t; else out.push({ op: op, text: t }); }
    while (p < x.length && q < y.length) {
      if (x[p] === y[q]) { push('=', x[p]); p++; q++; }
      else if (table[(p + 1) * w + q] >= table[p * w + q + 1]) { push('-', x[p]); p++; }
      else { push('+', y[q]); q++; }
    }
    while (p < x.length) push('-', x[p++]);
    while (q < y.length) push('+', y[q++]);
    return out;
  }
`

export const MATRIX_STYLES = `
.matrix td{min-width:220px}.matrix pre.cell{max-height:none}.matrix pre.folded{max-height:8em;overflow:hidden}
.matrix .reason{color:var(--fail);font-size:12.5px}ins{background:#dcf3df;text-decoration:none}del{background:#fadcdc}
`
