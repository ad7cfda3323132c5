import { contains } from './contains.js'
import { length } from './length.js'
import { matches } from './matches.js'

/** The assertion library an eval's `assert: [...]` is built from. */
export const assert = Object.freeze({ length, contains, matches })

export type { AssertionSpec, AssertionKind, AssertionResult, AssertionContext } from './types.js'
