import type { RunResults } from '../../results/types.js'
import { reportTitle, writeReportData } from './data.js'
import { MATRIX_CLIENT, MATRIX_STYLES } from './matrix.js'

/**
 * One self-contained HTML file: styles, data and script inline, nothing fetched. Every piece of
 * model or user text reaches the page through textContent (never innerHTML), so an output that
 * holds markup is shown as text and never runs. Written in chunks (see writeReportData).
 */
export async function writePage(results: RunResults, options: { git?: string; generatedAt: string }, write: (chunk: string) => Promise<void>): Promise<void> {
  const [head, tail] = pageTemplate().replace('%TITLE%', escapeHtml(reportTitle(results))).split('%DATA%') as [string, string]
  await write(head)
  await writeReportData(results, options, write)
  await write(tail)
}

/** The whole page as one string: for tests and small runs. */
export async function renderPage(results: RunResults, options: { git?: string; generatedAt: string }): Promise<string> {
  const chunks: string[] = []
  await writePage(results, options, async (chunk) => {
    chunks.push(chunk)
  })
  return chunks.join('')
}

function pageTemplate(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>%TITLE%</title>
<style>${STYLES}</style>
</head>
<body>
<header><h1>assay</h1><span id="run-status"></span><span class="meta" id="run-meta"></span></header>
<main>
<section id="summary" class="cards"></section>
<section>
<div class="toolbar"><h2>Evals</h2><input id="eval-filter" type="search" placeholder="Filter by name" aria-label="Filter evals by name"><label><input id="eval-failed" type="checkbox"> failed only</label></div>
<table id="evals"><thead><tr>
<th data-key="name">Eval</th><th data-key="status">Status</th><th data-key="passRate" class="num">Pass rate</th><th data-key="meanScore" class="num">Mean score</th>
<th data-key="p50" class="num">p50 latency</th><th data-key="p95" class="num">p95 latency</th><th data-key="tokens" class="num">Tokens</th><th data-key="cases" class="num">Cases</th>
</tr></thead><tbody></tbody></table>
</section>
<section id="eval-detail" hidden></section>
<section id="coverage" hidden></section>
</main>
<script id="assay-data" type="application/json">%DATA%</script>
<script>${CLIENT}</script>
</body>
</html>
`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

const STYLES = `
:root{--bg:#f7f7f5;--fg:#1d1d1f;--muted:#6b6b70;--line:#dedede;--pass:#1a7f37;--fail:#c62828;--warn:#a15c00;--card:#fff;--accent:#3454d1}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;gap:12px;align-items:baseline;padding:14px 24px;background:#111;color:#eee}header h1{margin:0;font-size:18px}
.meta{color:#aaa;font-size:12px}main{padding:16px 24px;max-width:1400px;margin:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}.card .k{color:var(--muted);font-size:12px}.card .v{font-size:20px;font-weight:600}
h2{font-size:16px;margin:18px 0 8px}h3{font-size:14px;margin:14px 0 6px}
.toolbar{display:flex;gap:12px;align-items:center}.toolbar h2{margin-right:auto}
input[type=search]{padding:5px 8px;border:1px solid var(--line);border-radius:6px}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line)}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{cursor:pointer;user-select:none;font-weight:600;background:#fafafa}
th.sorted::after{content:" ▾"}th.sorted.asc::after{content:" ▴"}.num{text-align:right;font-variant-numeric:tabular-nums}
tbody tr.clickable{cursor:pointer}tbody tr.clickable:hover{background:#f0f3ff}tr.selected{background:#e8edff}
.pass{color:var(--pass);font-weight:600}.fail{color:var(--fail);font-weight:600}.error{color:var(--warn);font-weight:600}
.verdict{margin:4px 0;padding:6px 10px;border-left:4px solid var(--muted);background:var(--card)}
.verdict.better{border-color:var(--pass)}.verdict.worse{border-color:var(--fail)}.verdict.inconclusive{border-color:var(--warn)}
.comparison{display:grid;grid-template-columns:minmax(0,1fr) 260px;gap:12px;align-items:center}
pre{white-space:pre-wrap;word-break:break-word;margin:4px 0;padding:8px;background:#fbfbfb;border:1px solid var(--line);border-radius:6px;max-height:420px;overflow:auto;font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
details summary{cursor:pointer;color:var(--accent)}.muted{color:var(--muted);overflow-wrap:anywhere}
.case-detail td{background:#fcfcfd}.side{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
button{border:1px solid var(--line);background:#fff;border-radius:6px;padding:5px 10px;cursor:pointer}
.suggestion{background:#fff8e6;border:1px solid #f0dca8;border-radius:6px;padding:6px 10px;margin:4px 0}
svg text{font-size:10px;fill:var(--muted)}
${MATRIX_STYLES}`

// Plain ES2019, no template literals, so it can live in this TypeScript string unchanged.
const CLIENT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('assay-data').textContent);
  var PAGE = 100;
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var key in attrs) {
      if (attrs[key] === undefined || attrs[key] === null) continue;
      if (key === 'text') node.textContent = attrs[key];
      else if (key === 'className') node.className = attrs[key];
      else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    }
    (children || []).forEach(function (child) { if (child !== null && child !== undefined) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child); });
    return node;
  }
  function svg(tag, attrs, children) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var key in attrs) if (key === 'text') node.textContent = attrs[key]; else node.setAttribute(key, attrs[key]);
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }
  function pct(x) { return x === null || x === undefined ? '–' : (x * 100).toFixed(1) + '%'; }
  function ms(x) { return x === null || x === undefined ? '–' : x >= 1000 ? (x / 1000).toFixed(2) + ' s' : Math.round(x) + ' ms'; }
  function num(x, d) { return x === null || x === undefined ? '–' : Number(x).toFixed(d); }
  function status(s) { return el('span', { className: s, text: s }); }
  function text(ref) { return typeof ref === 'number' ? data.strings[ref] : ref; }
  function failingCheck(sample) { return sample.assertions.filter(function (a) { return !a.pass && !a.advisory; })[0]; }

  var s = data.summary;
  document.title = data.title;
  document.getElementById('run-status').appendChild(status(s.status));
  document.getElementById('run-meta').textContent = 'started ' + s.startedAt + (data.git ? ' · commit ' + data.git : '') + ' · record mode ' + s.record;
  var cards = [
    ['Evals', s.evals.passed + ' passed / ' + s.evals.total], ['Failed evals', String(s.evals.failed)],
    ['Pass rate', pct(s.cases.total ? s.cases.passed / s.cases.total : null)], ['Cases', String(s.cases.total)],
    ['Errors', String(s.cases.errored)], ['Duration', ms(s.durationMs)], ['Record mode', s.record],
    ['Calls', s.calls.fixture + ' replayed, ' + s.calls.live + ' live'], ['Models', s.models.join(', ') || '–']
  ];
  var summary = document.getElementById('summary');
  cards.forEach(function (c) { summary.appendChild(el('div', { className: 'card' }, [el('div', { className: 'k', text: c[0] }), el('div', { className: 'v', text: c[1] })])); });

  var sortKey = null, ascending = true, selected = null;
  var tbody = document.querySelector('#evals tbody');
  function renderEvals() {
    var filter = document.getElementById('eval-filter').value.toLowerCase();
    var failedOnly = document.getElementById('eval-failed').checked;
    var rows = data.evals.map(function (e, i) { return { e: e, i: i }; }).filter(function (r) {
      return (!failedOnly || r.e.status !== 'pass') && r.e.name.toLowerCase().indexOf(filter) >= 0;
    });
    if (sortKey) rows.sort(function (a, b) {
      var x = a.e[sortKey], y = b.e[sortKey];
      if (x === y) return 0; if (x === null) return 1; if (y === null) return -1;
      return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    });
    tbody.textContent = '';
    rows.forEach(function (r) {
      var e = r.e;
      tbody.appendChild(el('tr', { className: 'clickable' + (selected === r.i ? ' selected' : ''), 'data-testid': 'eval-row', onclick: function () { selectEval(r.i); } }, [
        el('td', {}, [el('div', { text: e.name }), el('div', { className: 'muted', text: e.file })]), el('td', {}, [status(e.status)]),
        el('td', { className: 'num', text: pct(e.passRate) }), el('td', { className: 'num', text: num(e.meanScore, 3) }),
        el('td', { className: 'num', text: ms(e.p50) }), el('td', { className: 'num', text: ms(e.p95) }),
        el('td', { className: 'num', text: String(e.tokens) }), el('td', { className: 'num', text: String(e.cases) })
      ]));
    });
  }
  document.querySelectorAll('#evals th').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      ascending = sortKey === key ? !ascending : true; sortKey = key;
      document.querySelectorAll('#evals th').forEach(function (h) { h.className = h.className.replace(/ ?sorted| ?asc/g, ''); });
      th.className += ' sorted' + (ascending ? ' asc' : '');
      renderEvals();
    });
  });
  document.getElementById('eval-filter').addEventListener('input', renderEvals);
  document.getElementById('eval-failed').addEventListener('change', renderEvals);

  function intervalChart(c) {
    var scale = c.metric === 'pass rate' ? 100 : 1;
    var extent = Math.max(Math.abs(c.interval.low), Math.abs(c.interval.high), Math.abs(c.difference), 1e-9) * 1.15;
    var x = function (v) { return 130 + (v / extent) * 120; };
    var color = c.verdict === 'better' ? '#1a7f37' : c.verdict === 'worse' ? '#c62828' : '#a15c00';
    return svg('svg', { width: 260, height: 34, viewBox: '0 0 260 34', role: 'img', 'aria-label': c.metric + ' difference with 95% interval' }, [
      svg('line', { x1: 130, x2: 130, y1: 2, y2: 24, stroke: '#999', 'stroke-dasharray': '2 2' }),
      svg('line', { x1: x(c.interval.low), x2: x(c.interval.high), y1: 13, y2: 13, stroke: color, 'stroke-width': 3 }),
      svg('circle', { cx: x(c.difference), cy: 13, r: 4.5, fill: color }),
      svg('text', { x: 130, y: 33, 'text-anchor': 'middle', text: '0' })
    ].concat([c.interval.low, c.interval.high].filter(function (v) { return Math.abs(x(v) - 130) > 22; }).map(function (v) {
      return svg('text', { x: x(v), y: 33, 'text-anchor': 'middle', text: (v * scale).toFixed(1) });
    })));
  }
  function histogram(values) {
    if (!values.length) return el('p', { className: 'muted', text: 'No latencies recorded.' });
    var min = Math.min.apply(null, values), max = Math.max.apply(null, values), bins = 20;
    var width = (max - min) / bins || 1, counts = new Array(bins).fill(0);
    values.forEach(function (v) { counts[Math.min(bins - 1, Math.floor((v - min) / width))]++; });
    var top = Math.max.apply(null, counts), bars = [];
    counts.forEach(function (count, i) { var h = (count / top) * 80; bars.push(svg('rect', { x: 10 + i * 22, y: 90 - h, width: 20, height: h, fill: '#3454d1' }, [svg('title', { text: ms(min + i * width) + '–' + ms(min + (i + 1) * width) + ': ' + count })])); });
    bars.push(svg('text', { x: 10, y: 104, text: ms(min) }), svg('text', { x: 450, y: 104, 'text-anchor': 'end', text: ms(max) }));
    return svg('svg', { width: 460, height: 108, viewBox: '0 0 460 108', role: 'img', 'aria-label': 'latency histogram' }, bars);
  }

  /** One series' pass rate over runs, a dashed line and label where the template version changed. */
  function trendChart(points) {
    var step = points.length > 1 ? 420 / (points.length - 1) : 0, parts = [];
    var x = function (i) { return 20 + i * step; }, y = function (rate) { return 70 - rate * 60; };
    parts.push(svg('line', { x1: 20, x2: 440, y1: y(1), y2: y(1), stroke: '#ddd' }), svg('line', { x1: 20, x2: 440, y1: y(0), y2: y(0), stroke: '#ddd' }));
    points.forEach(function (p, i) {
      if (i > 0 && p.template !== points[i - 1].template) {
        parts.push(svg('g', { 'data-testid': 'template-change' }, [
          svg('line', { x1: x(i) - step / 2, x2: x(i) - step / 2, y1: 4, y2: 74, stroke: '#c77700', 'stroke-dasharray': '3 2' }),
          svg('text', { x: x(i) - step / 2 + 3, y: 84, text: p.template || 'task' })
        ]));
      }
    });
    if (points.length > 1) parts.push(svg('polyline', { points: points.map(function (p, i) { return x(i) + ',' + y(p.passRate); }).join(' '), fill: 'none', stroke: '#3454d1', 'stroke-width': 2 }));
    points.forEach(function (p, i) {
      parts.push(svg('circle', { cx: x(i), cy: y(p.passRate), r: 3.5, fill: '#3454d1' }, [svg('title', { text: p.time.slice(0, 16).replace('T', ' ') + ' · ' + (p.template || 'task') + ' · pass ' + pct(p.passRate) })]));
    });
    parts.push(svg('text', { x: 0, y: y(1) + 3, text: '100%' }), svg('text', { x: 0, y: y(0) + 3, text: '0%' }));
    return svg('svg', { width: 460, height: 90, viewBox: '0 0 460 90', role: 'img', 'data-testid': 'trend', 'aria-label': 'pass rate over the last ' + points.length + ' runs' }, parts);
  }

  function trendSection(e) {
    var series = {}, order = [];
    e.trend.forEach(function (p) { var key = p.variant || ''; if (!series[key]) { series[key] = []; order.push(key); } series[key].push(p); });
    var parts = [el('h3', { text: 'Pass rate over the last runs' })];
    order.forEach(function (key) {
      if (key) parts.push(el('div', { className: 'muted', text: key }));
      parts.push(trendChart(series[key]));
    });
    return el('div', {}, parts);
  }

${MATRIX_CLIENT}
  function selectEval(index) {
    selected = index; renderEvals();
    var e = data.evals[index], panel = document.getElementById('eval-detail');
    panel.hidden = false; panel.textContent = '';
    panel.appendChild(el('h2', { text: e.name }));
    panel.appendChild(el('p', { className: 'muted', text: e.file + ' · pass rate ' + pct(e.passRate) + ' (threshold ' + pct(e.threshold) + ') · ' + e.cases + ' cases' }));
    if (e.variants) {
      panel.appendChild(el('h3', { text: 'Variants' }));
      panel.appendChild(el('p', { text: e.variants.map(function (v) { return v.name + ': ' + v.counts.passed + '/' + v.counts.cases + ' passed (' + v.status + ')'; }).join(' · ') }));
      if (e.sweep) {
        var b = e.sweep.best;
        panel.appendChild(el('p', { 'data-testid': 'best-setting' }, [el('strong', { text: 'Best setting: ' }), b.variant + ', pass rate ' + pct(b.passRate) + ' (95% CI ' + pct(b.interval.low) + ' to ' + pct(b.interval.high) + ', n = ' + b.n + ')' + (b.comparison ? '; against ' + b.comparison.baseline + ': ' + b.comparison.sentence : '; the baseline setting, and no other had a higher pass rate')]));
      }
      e.comparisons.forEach(function (c) {
        panel.appendChild(el('div', { className: 'comparison' }, [el('div', { className: 'verdict ' + c.verdict.split(' ')[0], 'data-testid': 'verdict', text: c.variant + ' vs ' + c.baseline + ': ' + c.sentence }), intervalChart(c)]));
      });
      panel.appendChild(matrixSection(e));
    }
    if (e.baseline) {
      panel.appendChild(el('h3', { text: 'Against the baseline' }));
      if (e.baseline.status === 'missing') panel.appendChild(el('p', { className: 'muted', text: 'No baseline saved (' + e.baseline.file + ').' }));
      else e.baseline.checks.forEach(function (c) { panel.appendChild(el('div', { className: 'verdict ' + (c.regression ? 'worse' : 'better'), text: (c.variant ? c.variant + ': ' : '') + c.sentence })); });
    }
    if (e.trend.length) panel.appendChild(trendSection(e));
    panel.appendChild(el('h3', { text: 'Latency' }));
    panel.appendChild(histogram(e.latencies));
    if (e.suggestions.length) {
      panel.appendChild(el('h3', { text: 'Suggestions' }));
      e.suggestions.forEach(function (sg) { panel.appendChild(el('div', { className: 'suggestion' }, [el('strong', { text: sg.trigger }), el('span', { text: ': ' + sg.advice.join('; ') })])); });
    }
    var filter = el('input', { type: 'search', placeholder: 'Filter cases', 'aria-label': 'Filter cases' });
    var failed = el('input', { type: 'checkbox' });
    panel.appendChild(el('div', { className: 'toolbar' }, [el('h3', { text: 'Cases' }), filter, el('label', {}, [failed, ' failed only'])]));
    var table = el('table', { id: 'cases' }, [el('thead', {}, [el('tr', {}, ['Case', 'Variant', 'Status', 'Score', 'Latency', 'Tokens', 'First reason'].map(function (h) { return el('th', { text: h }); }))])]);
    var body = el('tbody'); table.appendChild(body); panel.appendChild(table);
    var more = el('button', { text: 'Show more' }); panel.appendChild(more);
    var shown = PAGE;
    function rows() {
      var q = filter.value.toLowerCase();
      return e.rows.filter(function (r) { return (!failed.checked || r.status !== 'pass') && r.id.toLowerCase().indexOf(q) >= 0; });
    }
    function renderCases() {
      var list = rows(); body.textContent = '';
      list.slice(0, shown).forEach(function (r) {
        var failedCheck = failingCheck(r.samples[0]), first = r.samples[0], reason = first.error || (failedCheck ? text(failedCheck.reason) : '');
        var row = el('tr', { className: 'clickable', 'data-testid': 'case-row', 'data-case': r.id }, [
          el('td', { text: r.id }), el('td', { text: r.variant || '' }),
          el('td', {}, [status(r.status), r.repeats.total > 1 ? el('span', { className: 'muted', text: ' ' + r.repeats.passed + '/' + r.repeats.total }) : null, r.flaky ? el('span', { className: 'error', 'data-testid': 'flaky', text: ' flaky' }) : null]),
          el('td', { className: 'num', text: num(first.score, 3) }),
          el('td', { className: 'num', text: ms(first.latencyMs) }), el('td', { className: 'num', text: first.tokens === null ? '–' : String(first.tokens) }), el('td', { text: reason })
        ]);
        row.addEventListener('click', function () { toggleCase(row, r); });
        body.appendChild(row);
      });
      more.hidden = list.length <= shown;
      more.textContent = 'Show more (' + (list.length - shown) + ' left)';
    }
    more.addEventListener('click', function () { shown += PAGE; renderCases(); });
    filter.addEventListener('input', function () { shown = PAGE; renderCases(); });
    failed.addEventListener('change', function () { shown = PAGE; renderCases(); });
    renderCases();

    function toggleCase(row, r) {
      var next = row.nextSibling;
      if (next && next.className === 'case-detail') { next.remove(); return; }
      var siblings = e.variants ? e.rows.filter(function (x) { return x.id === r.id; }) : [r];
      var cell = el('td', { colspan: 7 }, [el('div', { className: 'side', 'data-testid': 'case-detail' }, siblings.map(casePanel))]);
      row.parentNode.insertBefore(el('tr', { className: 'case-detail' }, [cell]), row.nextSibling);
    }
    panel.scrollIntoView({ block: 'start' });
  }

  function renderCoverage(cv) {
    var section = document.getElementById('coverage');
    section.hidden = false;
    var gate = cv.gate ? ' · coverage.templates ' + pct(cv.gate.min) + (cv.gate.pass ? ' met' : ' NOT met') : '';
    section.appendChild(el('h2', { text: 'Template coverage' }));
    section.appendChild(el('p', { className: cv.gate && !cv.gate.pass ? 'error' : 'muted', 'data-testid': 'coverage-summary', text: cv.activeUsed + ' of ' + cv.active + ' active template versions used (' + pct(cv.share) + ')' + gate }));
    section.appendChild(el('table', { 'data-testid': 'coverage' }, [
      el('thead', {}, [el('tr', {}, ['Template', 'File', 'Active', 'Used by'].map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', {}, cv.templates.map(function (t) {
        var unused = t.active && !t.usedBy.length;
        return el('tr', { 'data-testid': 'coverage-row', 'data-unused': unused ? 'true' : 'false' }, [
          el('td', { text: t.name + '@' + t.version }), el('td', { className: 'muted', text: t.file }), el('td', { text: t.active ? 'yes' : 'no' }),
          el('td', { className: t.invalid ? 'error' : unused ? 'error' : '', text: t.invalid ? 'does not load: ' + t.invalid : t.usedBy.length ? t.usedBy.join(', ') : 'unused' })
        ]);
      }))
    ]));
  }

  function casePanel(r) {
    var parts = [el('h3', { text: r.id + (r.variant ? ' — ' + r.variant : '') + ' ' }, [status(r.status)])];
    r.samples.forEach(function (sm, i) {
      if (r.samples.length > 1) parts.push(el('div', { className: 'muted', text: 'Sample ' + (i + 1) }));
      var facts = 'attempts ' + sm.attempts + ' · latency ' + ms(sm.latencyMs) + ' · tokens ' + (sm.tokens === null ? '–' : sm.tokens) + (sm.fixture ? ' · fixture ' + sm.fixture : '');
      parts.push(el('div', { className: 'muted', text: facts }));
      if (sm.cutShort) parts.push(el('div', { className: 'error', text: 'Stopped early: ' + sm.cutShort }));
      if (sm.truncated) parts.push(el('div', { className: 'error', 'data-testid': 'truncated', text: 'Likely truncated prompt: ' + sm.truncated }));
      if (sm.error) parts.push(el('div', { className: 'error', text: sm.error }));
      if (sm.system !== null) parts.push(el('details', {}, [el('summary', { text: 'System prompt' }), el('pre', { text: text(sm.system) })]));
      if (sm.user !== null) parts.push(el('details', {}, [el('summary', { text: 'User prompt' + (sm.examples ? ' (after ' + sm.examples + ' few-shot examples)' : '') }), el('pre', { text: sm.user })]));
      if (sm.thinking !== null) parts.push(el('details', { 'data-testid': 'thinking' }, [el('summary', { text: 'Thinking (' + sm.thinking.length + ' characters, not judged)' }), el('pre', { text: sm.thinking })]));
      if (sm.output !== null) {
        var long = sm.output.length > 1200;
        var pre = el('pre', { 'data-testid': 'output', text: long ? sm.output.slice(0, 1200) + '…' : sm.output });
        var output = el('details', { open: 'open' }, [el('summary', { text: 'Output' + (sm.cut ? ' (' + sm.cut + ' more characters in results.json)' : '') }), pre]);
        if (long) output.appendChild(el('button', { text: 'Show all', onclick: function (ev) { pre.textContent = sm.output; ev.target.remove(); } }));
        parts.push(output);
      }
      if (sm.toolCalls.length) {
        parts.push(el('details', { open: 'open', 'data-testid': 'tool-calls' }, [el('summary', { text: 'Tool calls (' + sm.toolCalls.length + ')' })].concat(sm.toolCalls.map(function (c, k) {
          return el('div', {}, [el('div', { text: (k + 1) + '. ' + c.name }), el('pre', { text: c.arguments })]);
        }))));
      }
      if (sm.assertions.length) {
        parts.push(el('table', {}, [el('tbody', {}, sm.assertions.map(function (a) {
          return el('tr', {}, [el('td', {}, [status(a.pass ? 'pass' : 'fail')]), el('td', { text: text(a.name) + (a.advisory ? ' (advisory)' : '') }), el('td', { className: 'num', text: num(a.score, 3) }), el('td', { text: text(a.reason) })]);
        }))]));
      }
    });
    return el('div', { className: 'panel' }, parts);
  }

  renderEvals();
  if (data.coverage) renderCoverage(data.coverage);
  var firstFailed = data.evals.findIndex(function (e) { return e.status !== 'pass'; });
  document.body.setAttribute('data-ready', 'true');
  if (firstFailed >= 0) selectEval(firstFailed);
})();
`
