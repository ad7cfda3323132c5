import { visibleEscape } from './terminal.js'

/**
 * The message of a GitHub workflow command (`::error ...::<data>`), escaped as GitHub's toolkit
 * does (@actions/core, command.ts), so a newline cannot start a command of its own; other control
 * characters are shown as escapes.
 */
export function githubData(text: string): string {
  return text
    .replace(/(?![\r\n])[\u0000-\u001f\u007f-\u009f]/g, visibleEscape)
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
}

/** A property of a workflow command (`file=`, `title=`): the data escapes, plus `:` and `,`. */
export function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** Text content of an XML element: well-formed whatever the input. */
export function xmlText(text: string): string {
  return xmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
}

/** An XML attribute value in double quotes; tabs and line breaks as references so they survive normalisation. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')
}

/**
 * XML 1.0 cannot hold most control characters, lone surrogates or U+FFFE/U+FFFF, escaped or not
 * (and DEL and the C1 controls, which it allows, act on terminals that show the report):
 * they are shown as `\u001b`-style text instead.
 */
function xmlChars(text: string): string {
  return text.replace(NOT_XML, visibleEscape)
}

const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
