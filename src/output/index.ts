/**
 * The one way out of the process: everything assay writes to a file, a terminal or a CI log passes
 * here. Pure functions of their input; docs/security.md says what each guards against.
 */
export { literalPattern, REDACTED, Redactor } from './redact.js'
export { defuseWorkflowCommands, terminalLine, terminalOutput, terminalText, visibleEscape } from './terminal.js'
export { githubData, githubProperty, xmlAttribute, xmlText } from './escape.js'
