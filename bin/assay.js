#!/usr/bin/env node
import module from 'node:module'

// Node >= 22.1 keeps compiled modules on disk between runs (in the OS temp folder): start-up
// then skips most parsing. Older Node has no such cache, and runs the same without it.
module.enableCompileCache?.()

const { main } = await import('../dist/cli.js')
process.exitCode = await main(process.argv)
