import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { bundleClient, reportClient } from '../../src/report/html/client-script.js'
import { runOf } from '../helpers/results.js'

const clientProject = fileURLToPath(new URL('../../src/report/html/client/tsconfig.json', import.meta.url))
const dataFile = fileURLToPath(new URL('../../src/report/html/data.ts', import.meta.url))
const chartsFile = fileURLToPath(new URL('../../src/report/html/client/charts.ts', import.meta.url))

/**
 * Type-checks the page's script as `npm run typecheck` and the build do, with some files' text
 * replaced: the errors, as "file: message".
 */
function checkClient(replaced: Record<string, (text: string) => string> = {}): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(clientProject, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => expect.fail(String(d.messageText)) })!
  const host = ts.createCompilerHost(config.options)
  const readFile = host.readFile.bind(host)
  host.readFile = (file) => {
    const text = readFile(file)
    const edit = replaced[file]
    return text === undefined || !edit ? text : edit(text)
  }
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host })
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.split('/src/')[1] : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
}

function replace(from: string, to: string): (text: string) => string {
  return (text) => {
    expect(text).toContain(from)
    return text.replace(from, to)
  }
}

describe("the HTML report's script", () => {
  it('type-checks against the types of the data the page embeds', () => {
    expect(checkClient()).toEqual([])
  }, 60_000)

  it('fails the type check when it reads a field the report data does not have', () => {
    // A field renamed in data.ts, and the script not told: every read of it is an error.
    const errors = checkClient({ [dataFile]: replace('  passRate: number\n  threshold: number', '  passShare: number\n  threshold: number') })
    expect(errors).toContainEqual(expect.stringMatching(/^report\/html\/client\/eval-detail\.ts: Property 'passRate' does not exist on type 'ReportEval'/))
    expect(errors).toContainEqual(expect.stringMatching(/^report\/html\/client\/index\.ts: .*'passRate'/))
  }, 60_000)

  it('compares metric names as the union results.json uses, so a misspelt one fails', () => {
    const errors = checkClient({ [chartsFile]: replace("c.metric === 'pass rate'", "c.metric === 'pass-rate'") })
    expect(errors).toEqual([expect.stringMatching(/^report\/html\/client\/charts\.ts: This comparison appears to be unintentional because the types .* and '"pass-rate"' have no overlap/)])
  }, 60_000)

  it('bundles to one classic script that nothing in it can break out of', async () => {
    const script = await bundleClient()
    expect(script.startsWith('(function() {')).toBe(true)
    expect(script).not.toMatch(/^\s*(import|export)\b/m)
    expect(script).not.toMatch(/<\/script|<!--/i)
    // Text goes in through textContent: the script never parses markup.
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/)
    // Only types cross into it: none of data.ts's code (its reads of results) comes along.
    expect(script).not.toContain('answerLatencies')
    expect(await reportClient()).toBe(await reportClient())
    expect(await reportClient()).toBe(script)
  })

  it('is the script that the built CLI writes into the page', async () => {
    // global-setup.ts built dist/ before the tests; the build put the same bundle in place of client-script.ts.
    const dist = fileURLToPath(new URL('../../dist/', import.meta.url))
    const pages = readdirSync(dist).filter((name) => name.endsWith('.js') && readFileSync(dist + name, 'utf8').includes('Content-Security-Policy'))
    expect(pages).toHaveLength(1)
    expect(readFileSync(dist + pages[0]!, 'utf8')).not.toContain('rolldown')
    const built: typeof import('../../src/report/html/page.js') = await import(pathToFileURL(dist + pages[0]!).href)
    const html = await built.renderPage(runOf([]), { generatedAt: 'now' })
    expect(html.slice(html.lastIndexOf('<script>') + '<script>'.length, html.lastIndexOf('</script>'))).toBe(await bundleClient())
  })
})
