// The CLI, run in this process, then its peak resident set size on stderr: what the hostile
// bounds tests measure (process.resourceUsage().maxRSS is in kilobytes, as getrusage reports it).
import { main } from '../../dist/cli.js'

const code = await main(process.argv)
process.stderr.write(`\npeak-rss-kb ${process.resourceUsage().maxRSS}\n`)
process.exitCode = code
