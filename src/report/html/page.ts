import type { ChunkWriter } from '../../atomic-write.js'
import type { RunResults } from '../../results/types.js'
import { reportClient } from './client-script.js'
import { reportTitle, writeReportData, type PageOptions, type RowsAhead } from './data.js'

export { PageRows, textCapFor } from './data.js'

/**
 * One self-contained HTML file: styles, data and script inline, nothing fetched. The script is
 * client/, type-checked against the data's types and bundled in (client-script.ts). Every piece of
 * model or user text reaches the page through textContent (never innerHTML), so an output that
 * holds markup is shown as text and never runs. Written in chunks (see writeReportData).
 */
export async function writePage(results: RunResults, options: PageOptions, write: ChunkWriter, ahead?: RowsAhead): Promise<void> {
  const [head, tail] = pageTemplate().replace('%TITLE%', () => escapeHtml(reportTitle(results))).split('%DATA%') as [string, string]
  const client = await reportClient()
  await write(head)
  await writeReportData(results, options, write, ahead)
  await write(tail.replace('%CLIENT%', () => client))
}

/** The whole page as one string: for tests and small runs. */
export async function renderPage(results: RunResults, options: PageOptions): Promise<string> {
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
<table id="evals"><thead><tr></tr></thead><tbody></tbody></table>
</section>
<section id="eval-detail" hidden></section>
<section id="coverage" hidden></section>
</main>
<script id="assay-data" type="application/json">%DATA%</script>
<script>%CLIENT%</script>
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
.matrix td{min-width:220px}.matrix pre.cell{max-height:none}.matrix pre.folded{max-height:8em;overflow:hidden}
.matrix .reason{color:var(--fail);font-size:12.5px}ins{background:#dcf3df;text-decoration:none}del{background:#fadcdc}
`
