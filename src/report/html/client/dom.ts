/**
 * The page's building blocks: elements and SVG made from plain values, and the number formats.
 * Every text goes in through textContent or a text node, never as markup: the report's data is
 * model output and case files, so it is treated as hostile.
 */
import type { ReportSample } from '../data.js'

/** A text as the data stores it: an index into the page's table of repeated strings, or the text itself. */
export type TextRef = number | string
/** Reads a TextRef against the page's table of repeated strings. */
export type Texts = (ref: TextRef) => string

export function texts(strings: readonly string[]): Texts {
  return (ref) => (typeof ref === 'number' ? (strings[ref] ?? '') : ref)
}

type Listener = (event: Event) => void
/** `text` becomes the element's textContent, `className` its class, `on<event>` a listener; the rest are attributes. */
export type Attributes = { text?: string; className?: string } & { [name: string]: string | number | Listener | null | undefined }
type Child = Node | string | null | undefined

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue
    if (key === 'text') node.textContent = String(value)
    else if (key === 'className') node.className = String(value)
    else if (typeof value === 'function') node.addEventListener(key.slice(2), value)
    else node.setAttribute(key, String(value))
  }
  for (const child of children) if (child !== null && child !== undefined) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
  return node
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, children: readonly Node[] = []): SVGElementTagNameMap[K] {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag)
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'text') node.textContent = String(value)
    else node.setAttribute(key, String(value))
  }
  for (const child of children) node.appendChild(child)
  return node
}

/** An element the page's HTML holds; its absence is a bug in page.ts. */
export function byId(id: string): HTMLElement {
  const node = document.getElementById(id)
  if (!node) throw new Error(`The page has no #${id}.`)
  return node
}

export function inputById(id: string): HTMLInputElement {
  const node = byId(id)
  if (!(node instanceof HTMLInputElement)) throw new Error(`#${id} is not an input.`)
  return node
}

export function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`
}

export function ms(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`
}

export function num(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined ? '–' : x.toFixed(digits)
}

/** A status word, coloured by its class. */
export function status(word: string): HTMLSpanElement {
  return el('span', { className: word, text: word })
}

/** The first failing assertion that is not advisory: the one that decided the sample. */
export function failingCheck(sample: ReportSample): ReportSample['assertions'][number] | undefined {
  return sample.assertions.find((a) => !a.pass && !a.advisory)
}
