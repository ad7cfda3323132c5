import { join } from 'pathe'

/** The run's record under reportsDir: written by the json reporter, read by later commands. */
export const RESULTS_FILE = 'results.json'

/** Where `assay run` writes results.json, which baseline save, --failed and fixtures prune read back. */
export function resultsFile(root: string, reportsDir: string): string {
  return join(root, reportsDir, RESULTS_FILE)
}

/** A shard's blob, `blob-<i>-of-<n>.json`: its results, for `assay merge-reports`. */
export function blobFile(index: number, count: number): string {
  return `blob-${index}-of-${count}.json`
}

/** Is this a file name blobFile() gives? */
export function isBlobFile(name: string): boolean {
  return /^blob-\d+-of-\d+\.json$/.test(name)
}

/** `writer: chapter` → `writer-chapter`: an eval's folder of fixtures and its baseline file. Letters of any script are kept. */
export function evalSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
  return slug === '' ? 'eval' : slug.slice(0, 80)
}
