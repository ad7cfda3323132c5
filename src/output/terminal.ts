/**
 * Untrusted text (model answers, judge reasons, case names, server messages) made inert for a
 * terminal or a CI log: control characters are shown as `\u001b`-style escapes instead of acting
 * (no colours, cursor moves, screen clears or OSC hyperlinks from a model), and GitHub workflow
 * commands are defused. Newlines and tabs are kept.
 */
export function terminalText(text: string): string {
  return defuseWorkflowCommands(showControls(text, KEEP_LAYOUT))
}

/** As terminalText, with newlines and tabs shown too: for a value that must stay on one line. */
export function terminalLine(text: string): string {
  return defuseWorkflowCommands(showControls(text, KEEP_NOTHING))
}

/**
 * The last guard before a byte reaches stdout or stderr, for text assay composed itself: the colour
 * codes and progress-line redraws assay writes pass, every other control character is shown, and
 * workflow commands are defused (the github reporter's own commands take another path).
 */
export function terminalOutput(text: string): string {
  let out = ''
  let last = 0
  for (const match of text.matchAll(OWN_SEQUENCES)) {
    out += terminalText(text.slice(last, match.index))
    out += match[0]
    last = match.index + match[0].length
  }
  return out + terminalText(text.slice(last))
}

/**
 * GitHub Actions runs `::command::` at the start of any line (after leading whitespace) and
 * `##[command]` anywhere in one; a visible escape of the first character stops both.
 */
export function defuseWorkflowCommands(text: string): string {
  return text.replace(COMMAND_AT_LINE_START, (_, start: string, space: string) => `${start}${space}\\u003a:`).replace(/##\[/g, '#\\u0023[')
}

/** `\u001b`: how a character that must not act is shown. */
export function visibleEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
}

function showControls(text: string, pattern: RegExp): string {
  return text.replace(pattern, visibleEscape)
}

/**
 * C0 controls, DEL, C1 controls (a lone 0x9B is CSI on some terminals), the Unicode line and
 * paragraph separators, and the bidirectional overrides that make text read differently from what
 * it is ("trojan source").
 */
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069'
const KEEP_LAYOUT = new RegExp(`(?![\\n\\t])[${CONTROLS}]`, 'g')
const KEEP_NOTHING = new RegExp(`[${CONTROLS}]`, 'g')
/** The whitespace .NET's TrimStart removes, which JavaScript's \s covers (less the newline). */
const COMMAND_AT_LINE_START = /(^|\n)([^\S\n]*)::/g
/** Colours (SGR) and the progress line's erase-and-return: the only sequences assay emits. */
const OWN_SEQUENCES = /\u001b\[[0-9;]*m|\u001b\[2K\r?/g
