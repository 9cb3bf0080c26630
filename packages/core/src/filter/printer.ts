import { toXrayTraceId } from '../ids/trace-id.js';
import type { Expr, Field, Literal, Selector } from './ast.js';

export interface PrintOptions {
  /**
   * Print the subtrees written() made of a user's text as the user typed them, in parentheses
   * where the tree around them needs it and the text has none, instead of canonically. Trees
   * from parse() have no such subtrees, so they print canonically either way.
   */
  readonly verbatim?: boolean;
  /**
   * Print the expression as an operand of AND or NOT: in parentheses where precedence needs them
   * (an OR under AND; an AND or OR under NOT), for text that something else will be joined to.
   */
  readonly operandOf?: 'and' | 'not';
}

/**
 * The canonical text of an expression: lower-case keywords, upper-case AND, OR and word
 * operators, double-quoted strings, explicit AND, and only the parentheses precedence needs.
 * Parsing the printed text gives back the same tree.
 */
export function print(e: Expr, options: PrintOptions = {}): string {
  const verbatim = options.verbatim ?? false;
  return options.operandOf ? operand(e, options.operandOf, verbatim) : expr(e, verbatim);
}

function expr(e: Expr, verbatim: boolean): string {
  if (verbatim && e.loc.source !== undefined) return e.loc.source;
  const block = (filter: Expr | null): string => (filter ? ` { ${expr(filter, verbatim)} }` : '');
  switch (e.kind) {
    case 'or':
      return `${expr(e.left, verbatim)} OR ${expr(e.right, verbatim)}`;
    case 'and':
      return `${operand(e.left, 'and', verbatim)} AND ${operand(e.right, 'and', verbatim)}`;
    case 'not':
      return `!${operand(e.operand, 'not', verbatim)}`;
    case 'present':
      return field(e.field);
    case 'compare':
      return `${field(e.field)} ${e.op.length > 2 ? e.op.toUpperCase() : e.op} ${literal(e.value)}`;
    case 'service':
      return `service(${e.selector ? selector(e.selector) : ''})${block(e.filter)}`;
    case 'edge':
      return `edge(${selector(e.from)}, ${selector(e.to)})${block(e.filter)}`;
    case 'rootcause':
      return `rootcause.${e.category}.${e.level}${block(e.filter)}`;
    case 'rootcausejson':
      return `rootcause.json = #${JSON.stringify(e.patterns)}`;
    case 'group':
      return `group.${e.field} ${e.op} ${JSON.stringify(e.value)}`;
    case 'traceid':
      return toXrayTraceId(e.id);
  }
}

/** Operands of AND keep OR in parentheses (AND binds tighter); NOT keeps AND and OR. */
function operand(e: Expr, parent: 'and' | 'not', verbatim: boolean): string {
  const looser = e.kind === 'or' || (parent === 'not' && e.kind === 'and');
  if (!looser) return expr(e, verbatim);
  // Text the user already put in parentheses keeps them, and gets no second pair. The parser
  // leaves only a parenthesised expression's own parentheses outside its root's range.
  const source = verbatim ? e.loc.source : undefined;
  if (source !== undefined && (e.loc.start > 0 || e.loc.end < source.length)) return source;
  return `(${expr(e, verbatim)})`;
}

function field(f: Field): string {
  if (f.kind === 'keyword') return f.name;
  // The dot form is for keys that read as a name (docs/filter-expressions.md): an annotation key
  // with dots or a leading digit takes brackets; attribute keys are dotted by convention
  // (`http.route`), so they keep the dot form while they are names joined by dots.
  if (f.kind === 'attribute')
    return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(f.key) ? `attribute.${f.key}` : `attribute[${f.key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(f.key) ? `annotation.${f.key}` : `annotation[${f.key}]`;
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
