import { fileURLToPath } from 'node:url'

let script: Promise<string> | undefined

/**
 * The report page's script: client/ bundled into one classic script. In dist/ this module is
 * replaced by the bundled text (scripts/build.mjs), so a run never bundles and needs no
 * bundler; run from source (tests, benchmarks), it bundles on first use with rolldown, a dev
 * dependency.
 */
export function reportClient(): Promise<string> {
  script ??= bundleClient()
  return script
}

/**
 * Bundles client/index.ts and what it imports into an IIFE; the types it imports from data.ts
 * and results/ are erased. The text goes inside a <script> element, where "</script" would end
 * it early and "<!--" changes how the rest is parsed: the client never writes either.
 */
export async function bundleClient(): Promise<string> {
  const { rolldown } = await import('rolldown')
  const folder = fileURLToPath(new URL('./client/', import.meta.url))
  const bundle = await rolldown({ input: `${folder}index.ts`, cwd: folder, platform: 'browser', logLevel: 'warn' })
  try {
    const { output } = await bundle.generate({ format: 'iife' })
    const [chunk, ...rest] = output
    if (!chunk || rest.length) throw new Error(`The report client bundled to ${output.length} files; it must be one script.`)
    const unsafe = /<\/script|<!--/i.exec(chunk.code)
    if (unsafe) throw new Error(`The report client holds "${unsafe[0]}", which would break out of its <script> element: write it as "<\\/script" or split the string.`)
    return chunk.code
  } finally {
    await bundle.close()
  }
}
