import type { CaseResult } from '../results/types.js'

/** The eval a case belongs to. */
export interface EvalRef {
  name: string
  /** The eval file, relative to the root. */
  file: string
}

/** A case's text in its report, from the case, its index in its eval's cases, and its eval. */
export type CaseText = (entry: CaseResult, index: number, evalRef: EvalRef) => string

/** A ChunkWriter (atomic-write.ts), spelt out: the page's client project type-checks this file and cannot see Node's types. */
export type Write = (chunk: string) => Promise<void> | undefined

/** Text rendered ahead for the cases that lead an eval's (a CaseSpool, spool.ts). */
export interface CasesAhead {
  /** Writes the rendered text that leads `cases`, and returns how many cases it covered (0 when it holds no such text). */
  copy(evalRef: EvalRef, cases: readonly CaseResult[], write: Write): Promise<number>
}

/**
 * Writes an eval's `cases`: the text `ahead` rendered for the ones that lead them, then the rest
 * rendered by `render`. A case's text is awaited only when write asks to wait (ChunkWriter): an
 * await per case was most of the writing.
 */
export async function writeCases(evalRef: EvalRef, cases: readonly CaseResult[], write: Write, render: CaseText, ahead?: CasesAhead): Promise<void> {
  const done = ahead ? await ahead.copy(evalRef, cases, write) : 0
  for (let i = done; i < cases.length; i++) {
    const wait = write(render(cases[i]!, i, evalRef))
    if (wait) await wait
  }
}
