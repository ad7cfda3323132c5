import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    // The built CLI, which test/helpers/cli.ts runs in-process, is loaded by Node as bin/assay.js
    // loads it: the code that ships, with no transform per test file.
    server: { deps: { external: [/\/dist\//] } },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage',
    },
  },
})
