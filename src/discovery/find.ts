import { glob } from 'tinyglobby'

/**
 * Eval files under root, relative POSIX paths in a stable order. Positional filters keep the files
 * whose path contains any of them, as in `vitest writer`.
 */
export async function findEvalFiles(
  root: string,
  include: string[],
  exclude: string[],
  filters: string[] = [],
): Promise<string[]> {
  const files = await glob(include, { cwd: root, ignore: exclude, onlyFiles: true, dot: false })
  const wanted = filters.length === 0 ? files : files.filter((file) => filters.some((filter) => file.includes(filter)))
  return wanted.sort()
}
