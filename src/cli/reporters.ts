/** Colour on a terminal unless NO_COLOR is set; FORCE_COLOR turns it on anywhere. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined
}
