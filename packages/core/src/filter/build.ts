import type { Expr, Field, Literal, Loc, Op, Selector } from './ast.js';
import { KEYWORD_BY_NAME } from './keywords.js';
import { parse, type ParseResult } from './parser.js';

/**
 * Constructors for the trees code composes (a click on the service map, a group-by row), to be
 * printed with print(): filter text is built as a tree, never concatenated, so a name with quotes
 * or a user's OR cannot change what the expression means. Printing a built tree and parsing the
 * text gives back the same tree (without locations).
 *
 * The constructors refuse, with a RangeError, what the language cannot write: an unknown keyword,
 * a number it has no literal for, an annotation key the bracket form cannot hold.
 */

/** The location of a built node: an empty range at 0, since it comes from no text. */
export const SYNTHETIC: Loc = Object.freeze({ start: 0, end: 0 });

/** `a AND b AND c`, grouped from the left as the parser groups it. */
export function and(first: Expr, ...rest: Expr[]): Expr {
  return rest.reduce<Expr>((left, right) => ({ kind: 'and', left, right, loc: SYNTHETIC }), first);
}

/** `a OR b OR c`, grouped from the left as the parser groups it. */
export function or(first: Expr, ...rest: Expr[]): Expr {
  return rest.reduce<Expr>((left, right) => ({ kind: 'or', left, right, loc: SYNTHETIC }), first);
}

export function not(operand: Expr): Expr {
  return { kind: 'not', operand, loc: SYNTHETIC };
}

/** A keyword of the language, by its (lower-case) name. */
export function keyword(name: string): Field {
  if (!KEYWORD_BY_NAME.has(name)) throw new RangeError(`${JSON.stringify(name)} is not a keyword of the filter language`);
  return { kind: 'keyword', name, loc: SYNTHETIC };
}

/** An annotation by key. */
export function annotation(key: string): Field {
  return keyed('annotation', key);
}

/** An OpenTelemetry span attribute by key. */
export function attribute(key: string): Field {
  return keyed('attribute', key);
}

function keyed(kind: 'annotation' | 'attribute', key: string): Field {
  // The printer writes any key that is not a name as kind[key], which ends at the first ] and
  // loses surrounding spaces and quotes.
  if (key === '' || key.includes(']') || key !== key.trim() || /^".*"$/.test(key))
    throw new RangeError(`the ${kind} key ${JSON.stringify(key)} cannot be written in a filter expression`);
  return { kind, key, loc: SYNTHETIC };
}

/** `field op value`; the literal's type is the value's. */
export function compare(field: Field, op: Op, value: string | number | boolean): Expr {
  return { kind: 'compare', field, op, value: literal(value), loc: SYNTHETIC };
}

/** A bare field: a boolean keyword holds, or the field is present. */
export function present(field: Field): Expr {
  return { kind: 'present', field, loc: SYNTHETIC };
}

/** `service(selector) { block }`; no selector is any node, no block the node alone. */
export function service(selector: Selector | null, block: Expr | null = null): Extract<Expr, { kind: 'service' }> {
  return { kind: 'service', selector, filter: block, loc: SYNTHETIC };
}

/** `edge(from, to) { block }`. */
export function edge(from: Selector, to: Selector, block: Expr | null = null): Extract<Expr, { kind: 'edge' }> {
  return { kind: 'edge', from, to, filter: block, loc: SYNTHETIC };
}

/** A node by name: `"cart"`. */
export function byName(name: string): Selector {
  return { kind: 'name', name, loc: SYNTHETIC };
}

/** A node by `id(name: …, type: …, account.id: …)`; at least one part. */
export function byId(parts: { readonly name?: string; readonly type?: string; readonly accountId?: string }): Selector {
  const { name, type, accountId } = parts;
  if (name === undefined && type === undefined && accountId === undefined) throw new RangeError('id(...) needs a name, type or account.id');
  // Only the parts given, as the parser makes them.
  return {
    kind: 'id',
    ...(name !== undefined ? { name } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
    loc: SYNTHETIC,
  };
}

/**
 * The tree of a filter a user typed, to compose with built nodes: print() with `verbatim` prints
 * it as typed (trimmed), so composing keeps the user's spelling, and the tree says where it needs
 * parentheses. Syntax only (parse, not parseFilter): text with a keyword the checker would refuse
 * still composes, and the server reports the problem where it reports any other. Offsets, here
 * and in a failure's diagnostic, are into the trimmed text.
 */
export function written(text: string): ParseResult {
  const source = text.trim();
  const parsed = parse(source);
  if (!parsed.ok) return parsed;
  return { ok: true, expr: { ...parsed.expr, loc: { ...parsed.expr.loc, source } } };
}

function literal(value: string | number | boolean): Literal {
  switch (typeof value) {
    case 'string':
      return { type: 'string', value, loc: SYNTHETIC };
    case 'boolean':
      return { type: 'boolean', value, loc: SYNTHETIC };
    case 'number':
      // NaN and the infinities print as words, which read back as strings.
      if (!Number.isFinite(value)) throw new RangeError(`the filter language has no number ${value}`);
      // -0 prints as 0 and reads back as 0.
      return { type: 'number', value: value === 0 ? 0 : value, loc: SYNTHETIC };
  }
}
