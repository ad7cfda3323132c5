/** Whatever a test opened (servers, workspaces), closed after it by test/setup.ts. */
const pending = new Set<() => Promise<void>>()

export function onCleanup(close: () => Promise<void>): void {
  pending.add(close)
}

export async function cleanupAll(): Promise<void> {
  const closers = [...pending]
  pending.clear()
  await Promise.all(closers.map((close) => close()))
}
