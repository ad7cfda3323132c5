// The run command's chunk as a script for V8's code cache (scripts/build.mjs calls it after the
// bundle; test/build/run-script.test.ts runs it on small chunks). Node 20 keeps no compiled code
// between runs for an ES module, and the run command's chunk is ~0.7 MB that every run parses,
// then compiles function by function on the way to its first model call. So the chunk becomes a
// stub module with the same imports and exports, and its code a function expression in a script
// of its own (`run-<hash>.body.js`) that the stub runs through src/code-cache.ts, which keeps V8's
// code cache for it. Line numbers stay where they were, so the chunk's source map serves the
// script. What cannot be carried over (a live binding that changes after load, an import cycle,
// top-level await, a name the wrapper takes) fails the build instead.
import { isAscii } from 'node:buffer'
import { Script } from 'node:vm'
import { parseAst } from 'rolldown/parseAst'

/** The names the wrapper function and the stub give their own bindings. */
const RESERVED = ['__deps', '__import', '__meta', '__run']

/**
 * `text`, the chunk `file` (without its sourceMappingURL line), as `{ script, body, stub }`: the
 * script's file name and text, and the stub module that replaces the chunk. `dependency(name)`
 * reads another chunk the run chunk imports (`./name`), to check what it exports stays put.
 */
export function toScript(text, file, dependency) {
  const ast = parseAst(text)
  const at = (node, expected) => {
    if (!text.startsWith(expected, node.start)) throw new Error(`${file}: expected "${expected}" at ${node.start}; the parser's offsets no longer match the text.`)
  }
  for (const name of RESERVED) if (new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(text)) throw new Error(`${file} uses the name ${name}, which the run script's wrapper takes; rename it in scripts/run-script.mjs.`)
  const edits = []
  const imports = []
  let exported
  for (const node of ast.body) {
    if (node.type === 'ImportDeclaration') {
      at(node, 'import')
      const dep = `__deps[${imports.length}]`
      imports.push(node.source.value)
      const named = []
      const statements = []
      for (const specifier of node.specifiers) {
        if (specifier.type === 'ImportNamespaceSpecifier') statements.push(`const ${specifier.local.name} = ${dep};`)
        else if (specifier.type === 'ImportDefaultSpecifier') named.push(`default: ${specifier.local.name}`)
        else named.push(`${JSON.stringify(specifier.imported.name ?? specifier.imported.value)}: ${specifier.local.name}`)
      }
      if (named.length > 0) statements.push(`const { ${named.join(', ')} } = ${dep};`)
      edits.push([node.start, node.end, statements.join(' ')])
    } else if (node.type === 'ExportNamedDeclaration' && !node.declaration && !node.source && !exported) {
      exported = node.specifiers.map((specifier) => [specifier.local.name, specifier.exported.name ?? specifier.exported.value])
      edits.push([node.start, node.end, `return { ${exported.map(([local, name]) => `${JSON.stringify(name)}: ${local}`).join(', ')} };`])
    } else if (node.type.startsWith('Export')) throw new Error(`${file}: a ${node.type} cannot be carried into the run script; update scripts/run-script.mjs.`)
  }
  if (!exported) throw new Error(`${file} exports nothing: the run script has nothing to hand the stub.`)
  const changing = reassigned(ast)
  for (const [local] of exported) if (changing.has(local)) throw new Error(`${file}: ${local} is exported and assigned after its declaration; the stub would keep its first value.`)
  if (awaitsAtTopLevel(ast)) throw new Error(`${file}: top-level await cannot go into a function.`)
  visit(ast, (node) => {
    if (node.type === 'ImportExpression') {
      at(node, 'import')
      edits.push([node.start, node.start + 'import'.length, '__import'])
    } else if (node.type === 'MetaProperty') {
      at(node, 'import.meta')
      edits.push([node.start, node.end, '__meta'])
    }
  })
  for (const dep of imports.filter((source) => source.startsWith('./'))) checkDependency(dependency(dep.slice(2)), dep.slice(2), file)
  edits.push(...asciiEscapes(text, ast, file))
  edits.sort((a, b) => b[0] - a[0])
  let body = text
  // A replaced span keeps its line breaks, so every line stays where the chunk's source map has it.
  for (const [start, end, replacement] of edits) body = body.slice(0, start) + replacement + '\n'.repeat(body.slice(start, end).split('\n').length - 1) + body.slice(end)
  const script = file.replace(/\.js$/, '.body.js')
  body = `(function (__deps, __import, __meta) {"use strict";${body}})\n//# sourceMappingURL=${file}.map\n`
  // A syntax error here, not in a user's first run.
  new Script(body, { filename: script })
  if (!isAscii(Buffer.from(body))) throw new Error(`${script} is not ASCII after escaping.`)
  const stub = [
    ...imports.map((source, index) => `import * as __dep${index} from ${JSON.stringify(source)};`),
    'import { runScript } from "./code-cache.js";',
    `const __run = runScript(new URL(${JSON.stringify(`./${script}`)}, import.meta.url), [[${imports.map((_, index) => `__dep${index}`).join(', ')}], (specifier, options) => import(specifier, options), import.meta]);`,
    `const ${exported.map(([, name], index) => `__run${index} = __run[${JSON.stringify(name)}]`).join(', ')};`,
    // String export names: any name the chunk exports, `default` or a reserved word included.
    `export { ${exported.map(([, name], index) => `__run${index} as ${JSON.stringify(name)}`).join(', ')} };`,
    '',
  ].join('\n')
  parseAst(stub)
  return { script, body, stub }
}

/**
 * Every non-ASCII character of the script as a \\u escape (comments, strings, regular
 * expressions, untagged templates: the same values), so src/code-cache.ts's UTF-8 decode takes
 * its ASCII fast path into a one-byte string of half the size (~2.3 -> ~0.8 ms). Where an
 * escape would change the code (an identifier, a tagged template's raw text, a character after
 * a backslash) the build fails instead.
 */
function asciiEscapes(text, ast, file) {
  const kept = []
  visit(ast, (node) => {
    if (node.type === 'Identifier' || node.type === 'PrivateIdentifier') kept.push([node.start, node.end])
    else if (node.type === 'TaggedTemplateExpression') kept.push([node.quasi.start, node.quasi.end])
  })
  const edits = []
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) continue
    if (text[i - 1] === '\\' || kept.some(([start, end]) => i >= start && i < end)) throw new Error(`${file}: the non-ASCII character at ${i} cannot be escaped without changing the code; update scripts/run-script.mjs.`)
    edits.push([i, i + 1, `\\u${unit.toString(16).padStart(4, '0')}`])
  }
  return edits
}

/** What the script takes from another chunk is copied once, at its start: it must not change later, nor the chunk import the run chunk back. */
function checkDependency(text, dep, runFile) {
  const ast = parseAst(text)
  const changing = reassigned(ast)
  for (const node of ast.body) {
    if (node.type === 'ImportDeclaration' && node.source.value === `./${runFile}`) throw new Error(`${dep} imports ${runFile}: an import cycle the run script cannot take part in.`)
    if (node.type === 'ExportNamedDeclaration' && !node.source) {
      for (const specifier of node.specifiers) if (changing.has(specifier.local.name)) throw new Error(`${dep}: ${specifier.local.name} is exported and assigned after its declaration; the run script would keep its first value.`)
    }
  }
}

/**
 * The module's top-level `let` and `var` bindings that are assigned anywhere: by `=` and its
 * compound forms, `++`/`--`, destructuring, or as the variable of a `for…in`/`for…of`. Counted
 * by name, so an inner variable of the same name counts too: never too few. Function and class
 * declarations are taken to keep their first value: counted by name, the inner variables that
 * share their names (picomatch's `glob`, say) would fail every build, and a bundle reassigns none.
 */
function reassigned(ast) {
  const assigned = new Set()
  visit(ast, (node) => {
    if (node.type === 'AssignmentExpression') targets(node.left, assigned)
    else if (node.type === 'UpdateExpression') targets(node.argument, assigned)
    else if ((node.type === 'ForInStatement' || node.type === 'ForOfStatement') && node.left.type !== 'VariableDeclaration') targets(node.left, assigned)
  })
  const names = new Set()
  for (const node of ast.body) {
    if (node.type === 'VariableDeclaration' && node.kind !== 'const') for (const declarator of node.declarations) targets(declarator.id, names)
  }
  return new Set([...names].filter((name) => assigned.has(name)))
}

/** The names a pattern binds or assigns (`a`, `[a, ...b]`, `{ a, b: c = 1 }`). */
function targets(pattern, into) {
  if (!pattern) return
  if (pattern.type === 'Identifier') into.add(pattern.name)
  else if (pattern.type === 'ArrayPattern') for (const element of pattern.elements) targets(element, into)
  else if (pattern.type === 'ObjectPattern') for (const property of pattern.properties) targets(property.type === 'RestElement' ? property.argument : property.value, into)
  else if (pattern.type === 'AssignmentPattern') targets(pattern.left, into)
  else if (pattern.type === 'RestElement') targets(pattern.argument, into)
}

/** Whether an `await` (or a `for await`) runs in the module's own body, outside every function. */
function awaitsAtTopLevel(ast) {
  let found = false
  visit(ast.body, (node) => {
    if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) found = true
    return !found && node.type !== 'FunctionDeclaration' && node.type !== 'FunctionExpression' && node.type !== 'ArrowFunctionExpression'
  })
  return found
}

/** Calls `see` on every node under `node`, depth first; a node for which it returns false keeps its children unseen. */
function visit(node, see) {
  if (!node || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const child of node) visit(child, see)
    return
  }
  if (typeof node.type === 'string' && see(node) === false) return
  for (const key in node) if (key !== 'type' && typeof node[key] === 'object') visit(node[key], see)
}
