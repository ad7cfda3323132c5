/** The page's small SVG charts: a comparison's interval, the latency histogram and the pass-rate trend. */
import type { Comparison, TrendPoint } from '../../../results/types.js'
import { el, ms, pct, svg } from './dom.js'

/** The difference and its 95% interval around 0, coloured by the verdict; pass rate in points. */
export function intervalChart(c: Comparison): SVGSVGElement {
  const scale = c.metric === 'pass rate' ? 100 : 1
  const extent = Math.max(Math.abs(c.interval.low), Math.abs(c.interval.high), Math.abs(c.difference), 1e-9) * 1.15
  const x = (v: number) => 130 + (v / extent) * 120
  const color = c.verdict === 'better' ? '#1a7f37' : c.verdict === 'worse' ? '#c62828' : '#a15c00'
  const ends = [c.interval.low, c.interval.high].filter((v) => Math.abs(x(v) - 130) > 22)
  return svg('svg', { width: 260, height: 34, viewBox: '0 0 260 34', role: 'img', 'aria-label': `${c.metric} difference with 95% interval` }, [
    svg('line', { x1: 130, x2: 130, y1: 2, y2: 24, stroke: '#999', 'stroke-dasharray': '2 2' }),
    svg('line', { x1: x(c.interval.low), x2: x(c.interval.high), y1: 13, y2: 13, stroke: color, 'stroke-width': 3 }),
    svg('circle', { cx: x(c.difference), cy: 13, r: 4.5, fill: color }),
    svg('text', { x: 130, y: 33, 'text-anchor': 'middle', text: '0' }),
    ...ends.map((v) => svg('text', { x: x(v), y: 33, 'text-anchor': 'middle', text: (v * scale).toFixed(1) })),
  ])
}

export function histogram(values: readonly number[]): Element {
  if (!values.length) return el('p', { className: 'muted', text: 'No latencies recorded.' })
  const min = Math.min(...values)
  const max = Math.max(...values)
  const bins = 20
  const width = (max - min) / bins || 1
  const counts = new Array<number>(bins).fill(0)
  for (const v of values) {
    const bin = Math.min(bins - 1, Math.floor((v - min) / width))
    counts[bin] = (counts[bin] ?? 0) + 1
  }
  const top = Math.max(...counts)
  const bars: Element[] = counts.map((count, i) => {
    const h = (count / top) * 80
    return svg('rect', { x: 10 + i * 22, y: 90 - h, width: 20, height: h, fill: '#3454d1' }, [svg('title', { text: `${ms(min + i * width)}–${ms(min + (i + 1) * width)}: ${count}` })])
  })
  bars.push(svg('text', { x: 10, y: 104, text: ms(min) }), svg('text', { x: 450, y: 104, 'text-anchor': 'end', text: ms(max) }))
  return svg('svg', { width: 460, height: 108, viewBox: '0 0 460 108', role: 'img', 'aria-label': 'latency histogram' }, bars)
}

/** One chart per series (the eval, or each variant), oldest run first. */
export function trendSection(trend: readonly TrendPoint[]): HTMLDivElement {
  const series = new Map<string, TrendPoint[]>()
  for (const point of trend) {
    const key = point.variant ?? ''
    const points = series.get(key)
    if (points) points.push(point)
    else series.set(key, [point])
  }
  const parts: Node[] = [el('h3', { text: 'Pass rate over the last runs' })]
  for (const [key, points] of series) {
    if (key) parts.push(el('div', { className: 'muted', text: key }))
    parts.push(trendChart(points))
  }
  return el('div', {}, parts)
}

/** One series' pass rate over runs, a dashed line and label where the template version changed. */
function trendChart(points: readonly TrendPoint[]): SVGSVGElement {
  const step = points.length > 1 ? 420 / (points.length - 1) : 0
  const x = (i: number) => 20 + i * step
  const y = (rate: number) => 70 - rate * 60
  const parts: Element[] = [svg('line', { x1: 20, x2: 440, y1: y(1), y2: y(1), stroke: '#ddd' }), svg('line', { x1: 20, x2: 440, y1: y(0), y2: y(0), stroke: '#ddd' })]
  points.forEach((p, i) => {
    if (i > 0 && p.template !== points[i - 1]?.template) {
      parts.push(
        svg('g', { 'data-testid': 'template-change' }, [
          svg('line', { x1: x(i) - step / 2, x2: x(i) - step / 2, y1: 4, y2: 74, stroke: '#c77700', 'stroke-dasharray': '3 2' }),
          svg('text', { x: x(i) - step / 2 + 3, y: 84, text: p.template || 'task' }),
        ]),
      )
    }
  })
  if (points.length > 1) parts.push(svg('polyline', { points: points.map((p, i) => `${x(i)},${y(p.passRate)}`).join(' '), fill: 'none', stroke: '#3454d1', 'stroke-width': 2 }))
  points.forEach((p, i) => {
    const label = `${p.time.slice(0, 16).replace('T', ' ')} · ${p.template || 'task'} · pass ${pct(p.passRate)}`
    parts.push(svg('circle', { cx: x(i), cy: y(p.passRate), r: 3.5, fill: '#3454d1' }, [svg('title', { text: label })]))
  })
  parts.push(svg('text', { x: 0, y: y(1) + 3, text: '100%' }), svg('text', { x: 0, y: y(0) + 3, text: '0%' }))
  return svg('svg', { width: 460, height: 90, viewBox: '0 0 460 90', role: 'img', 'data-testid': 'trend', 'aria-label': `pass rate over the last ${points.length} runs` }, parts)
}
