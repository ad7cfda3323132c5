import { contains, notContains } from './contains.js'
import { custom } from './custom.js'
import { latency, tokens } from './figures.js'
import { json, schema } from './json.js'
import { judge } from './judge.js'
import { language, noCJK, printable } from './language.js'
import { length } from './length.js'
import { equals, matches } from './matches.js'
import { quality } from './quality.js'
import { similar } from './similar.js'
import { toolCalls } from './tool-calls.js'

/** The assertion library an eval's `assert: [...]` is built from. */
export const assert = Object.freeze({
  length,
  contains,
  notContains,
  matches,
  equals,
  language,
  noCJK,
  printable,
  json,
  schema,
  similar,
  quality,
  judge,
  latency,
  tokens,
  toolCalls,
  custom,
})

export type { AssertionSpec, AssertionKind, AssertionResult, AssertionContext, CommonOptions } from './types.js'
