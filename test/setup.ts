import { afterEach } from 'vitest'
import { cleanupAll } from './helpers/cleanup.js'

// Every loopback server and workspace a test opened is closed after it, pass or fail.
afterEach(cleanupAll)
