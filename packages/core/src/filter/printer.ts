import { toXrayTraceId } from '../ids/trace-id.js';
import type { Expr, Field, Literal, Selector } from './ast.js';

/**
 * The canonical text of an expression: lower-case keywords, upper-case AND, OR and word
 * operators, double-quoted strings, explicit AND, and only the parentheses precedence needs.
 * Parsing the printed text gives back the same tree.
 */
export function print(e: Expr): string {
  switch (e.kind) {
    case 'or':
      return `${print(e.left)} OR ${print(e.right)}`;
    case 'and':
      return `${group(e.left, 'and')} AND ${group(e.right, 'and')}`;
    case 'not':
      return `!${e.operand.kind === 'and' || e.operand.kind === 'or' ? `(${print(e.operand)})` : print(e.operand)}`;
    case 'present':
      return field(e.field);
    case 'compare':
      return `${field(e.field)} ${e.op.length > 2 ? e.op.toUpperCase() : e.op} ${literal(e.value)}`;
    case 'service':
      return `service(${e.selector ? selector(e.selector) : ''})${e.filter ? ` { ${print(e.filter)} }` : ''}`;
    case 'edge':
      return `edge(${selector(e.from)}, ${selector(e.to)})${e.filter ? ` { ${print(e.filter)} }` : ''}`;
    case 'rootcause':
      return `rootcause.${e.category}.${e.level} { ${print(e.filter)} }`;
    case 'rootcausejson':
      return `rootcause.json = #${JSON.stringify(e.patterns)}`;
    case 'group':
      return `group.${e.field} ${e.op} ${JSON.stringify(e.value)}`;
    case 'traceid':
      return toXrayTraceId(e.id);
  }
}

/** Operands of AND keep OR in parentheses: AND binds tighter. */
function group(e: Expr, parent: 'and'): string {
  void parent;
  return e.kind === 'or' ? `(${print(e)})` : print(e);
}

function field(f: Field): string {
  if (f.kind === 'keyword') return f.name;
  return /^[A-Za-z0-9_]+$/.test(f.key) ? `annotation.${f.key}` : `annotation[${f.key}]`;
}

function literal(v: Literal): string {
  if (v.type === 'string') return JSON.stringify(v.value);
  return String(v.value);
}

function selector(s: Selector): string {
  if (s.kind === 'name') return JSON.stringify(s.name);
  const args: string[] = [];
  if (s.name !== undefined) args.push(`name: ${JSON.stringify(s.name)}`);
  if (s.type !== undefined) args.push(`type: ${JSON.stringify(s.type)}`);
  if (s.accountId !== undefined) args.push(`account.id: ${JSON.stringify(s.accountId)}`);
  return `id(${args.join(', ')})`;
}
