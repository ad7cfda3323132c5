import { defineConfig } from 'assay'

// The bundled example workspace. Every key is optional; these are the defaults made explicit,
// except include, which keeps the test suite's own workspaces out of `npm run evals`.
export default defineConfig({
  include: ['evals/**/*.eval.ts'],
  templatesDir: 'evals/templates',
  fixturesDir: 'fixtures',
  reportsDir: 'reports',
  concurrency: 2,
})
