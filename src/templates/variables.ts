import Handlebars from 'handlebars'
import type { VariableDeclaration, VariableType } from './schema.js'

type Node = hbs.AST.Node
type Expression = hbs.AST.Expression

/** Blocks whose body reads a new context (an item, an object), so names there are not top-level. */
const SCOPING_BLOCKS = new Set(['each', 'with'])

/** The top-level variables a handlebars template reads: `{{title}}`, `{{#if a}}`, `{{json b}}`. */
export function usedVariables(template: string | hbs.AST.Program): Set<string> {
  const used = new Set<string>()
  const visitExpression = (expression: Expression | undefined): void => {
    if (!expression) return
    if (expression.type === 'PathExpression') {
      const path = expression as hbs.AST.PathExpression
      if (!path.data && path.depth === 0 && path.parts.length > 0 && path.parts[0] !== 'this') used.add(path.parts[0]!)
    } else if (expression.type === 'SubExpression') {
      const sub = expression as hbs.AST.SubExpression
      sub.params.forEach(visitExpression)
      sub.hash?.pairs.forEach((pair) => visitExpression(pair.value))
    }
  }
  const visitCall = (node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement): void => {
    const isHelperCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.type === 'BlockStatement'
    if (!isHelperCall) visitExpression(node.path)
    node.params.forEach(visitExpression)
    node.hash?.pairs.forEach((pair) => visitExpression(pair.value))
  }
  const visit = (node: Node): void => {
    if (node.type === 'Program') (node as hbs.AST.Program).body.forEach(visit)
    else if (node.type === 'MustacheStatement') visitCall(node as hbs.AST.MustacheStatement)
    else if (node.type === 'BlockStatement') {
      const block = node as hbs.AST.BlockStatement
      visitCall(block)
      const helper = block.path.type === 'PathExpression' ? (block.path as hbs.AST.PathExpression).original : ''
      if (!SCOPING_BLOCKS.has(helper) && block.program) visit(block.program)
      if (block.inverse) visit(block.inverse)
    }
  }
  visit(typeof template === 'string' ? Handlebars.parse(template) : template)
  return used
}

/** Names every object has through its prototype: read as variables they would render "" with no error. */
const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype'])
/** Handlebars built-ins that are not for prompts: `log` writes to stdout behind the output guard. */
const REFUSED_HELPERS = new Set(['log'])

/**
 * An expression strict rendering would not catch: a prototype property read as a variable
 * (`{{constructor}}`, `{{a.__proto__}}`, `{{lookup a "constructor"}}`) or a refused helper. The
 * first such, with its line, or undefined. Takes the prompt parsed, as lintTemplate has it.
 */
export function unsafeExpression(ast: hbs.AST.Program): { expression: string; line: number; problem: string } | undefined {
  let found: { expression: string; line: number; problem: string } | undefined
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return
    if (Array.isArray(node)) return node.forEach(visit)
    const typed = node as { type?: string; loc?: { start: { line: number } } }
    if (typed.type === 'PathExpression') {
      const path = node as hbs.AST.PathExpression
      const part = path.parts.find((name) => INHERITED.has(name))
      if (part !== undefined) found = { expression: path.original, line: path.loc.start.line, problem: `reads "${part}", which every object has, not a variable` }
    }
    if (typed.type === 'MustacheStatement' || typed.type === 'BlockStatement' || typed.type === 'SubExpression') {
      const call = node as hbs.AST.MustacheStatement
      const name = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : ''
      if (REFUSED_HELPERS.has(name)) found = { expression: name, line: call.loc.start.line, problem: `calls the "${name}" helper, which writes to the console instead of the prompt` }
      const literal = name === 'lookup' ? call.params.find((param) => param.type === 'StringLiteral' && INHERITED.has((param as hbs.AST.StringLiteral).value)) : undefined
      if (literal) found = { expression: `lookup "${(literal as hbs.AST.StringLiteral).value}"`, line: call.loc.start.line, problem: 'looks up a property every object has, not a variable' }
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'loc') visit(value)
  }
  visit(ast)
  return found
}

/** Why a value does not fit its declared type, or undefined when it does. */
export function typeMismatch(value: unknown, declaration: VariableDeclaration): string | undefined {
  if (value === null && declaration.optional) return undefined
  const ok = fits(value, declaration.type)
  return ok ? undefined : `expected ${declaration.type}, got ${describeValue(value)}`
}

function fits(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'str':
    case 'string':
      return typeof value === 'string'
    case 'int':
    case 'integer':
      return Number.isInteger(value)
    case 'float':
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'bool':
    case 'boolean':
      return typeof value === 'boolean'
    case 'list':
    case 'array':
      return Array.isArray(value)
    case 'dict':
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'any':
      return true
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}
