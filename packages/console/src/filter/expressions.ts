import {
  and,
  byId,
  byName,
  compare,
  edge,
  keyword,
  or,
  parseTraceId,
  present,
  print,
  service,
  toXrayTraceId,
  written,
  type Expr,
} from '@fluoro/core';

/**
 * Building filter expressions from what a user clicked: a node, an edge, a status, a latency
 * range, a group-by row. They are built as trees and printed (@fluoro/core's build.ts), so a
 * name is a quoted string whatever characters it holds, and what a user typed is composed by its
 * tree: its OR cannot capture the condition added to it.
 */

export const quote = (s: string): string => JSON.stringify(s);

export type Status = 'ok' | 'error' | 'fault' | 'throttle';
export const STATUSES: readonly Status[] = ['ok', 'error', 'fault', 'throttle'];

/** service(...) or edge(...) with no block yet: what withBlock narrows. */
export type Selection = Extract<Expr, { kind: 'service' | 'edge' }>;

/** A node is matched by name; when another node shares the name (Lambda, client), by type too. */
export function serviceSelector(name: string, type: string | null, ambiguous: boolean): Selection {
  return service(ambiguous && type ? byId({ name, type }) : byName(name));
}

export function edgeSelector(from: string, to: string): Selection {
  return edge(byName(from), byName(to));
}

/** Seconds rounded to the millisecond, which prints without float noise. */
function millis(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Rounds seconds to the millisecond and prints them without float noise. */
export function seconds(v: number): string {
  return String(millis(v));
}

/**
 * The block of a service or edge filter: the chosen statuses (ORed) and a response-time range.
 * Returns "" when nothing narrows the selection.
 */
export function blockCondition(statuses: readonly Status[], range: readonly [number, number] | null): string {
  const parts: Expr[] = [];
  const [first, ...more] = statuses;
  if (first && statuses.length < STATUSES.length) parts.push(or(present(keyword(first)), ...more.map((s) => present(keyword(s)))));
  if (range) parts.push(responseTime(range[0], range[1]));
  const [condition, ...rest] = parts;
  // Printed as an operand of AND, so a choice of statuses keeps its parentheses when no range
  // follows: `{ (error OR fault) }`, the text the console has always shown and put in links.
  return condition ? print(and(condition, ...rest), { operandOf: 'and' }) : '';
}

/** The selection narrowed by a condition (blockCondition's, or any filter text): `service("a") { fault }`. */
export function withBlock(selection: Selection, condition: string): string {
  if (!condition.trim()) return print(selection);
  const block = written(condition);
  if (!block.ok) throw new Error(`not a filter expression: ${condition}`);
  const narrowed = selection.kind === 'service' ? service(selection.selector, block.expr) : edge(selection.from, selection.to, block.expr);
  return print(narrowed, { verbatim: true });
}

/**
 * `a AND b`, each side as typed, in parentheses where its tree needs them (an OR), once.
 * Either side may be a filter the user typed, so it is read with written(): syntax only, a
 * keyword the server would refuse still composes.
 */
export function andFilter(a: string, b: string): string {
  const x = a.trim();
  const y = b.trim();
  if (!x) return y;
  if (!y) return x;
  const left = written(x);
  const right = written(y);
  if (left.ok && right.ok) return print(and(left.expr, right.expr), { verbatim: true });
  // Text that does not parse (the user is still typing it) has no tree to say where it needs
  // parentheses: it is kept as typed and parenthesised whole, as one operand. The condition added
  // stays outside it, and once the user finishes it, no OR of theirs can capture the condition.
  // This is the one place filter text is wrapped without a tree.
  const side = (r: typeof left, text: string) => (r.ok ? print(r.expr, { verbatim: true, operandOf: 'and' }) : `(${text})`);
  return `${side(left, x)} AND ${side(right, y)}`;
}

/** The trace's response time in `[from, to]` seconds, for a drag on a distribution chart. */
export function responseTimeRange(from: number, to: number): string {
  return print(responseTime(from, to));
}

function responseTime(from: number, to: number): Expr {
  return and(compare(keyword('responsetime'), '>=', millis(from)), compare(keyword('responsetime'), '<=', millis(to)));
}

/**
 * The trace ID in something a user pasted: a trace ID in either form, a `traceparent` header
 * (`00-<trace>-<span>-01`) or an `X-Amzn-Trace-Id` header (`Root=1-…;Parent=…`). Returns the
 * X-Ray form, or null.
 */
export function extractTraceId(text: string): string | null {
  const s = text.trim();
  const direct = parseTraceId(s);
  if (direct) return toXrayTraceId(direct);
  const tp = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i.exec(s);
  if (tp) return toXrayTraceId(tp[1]!.toLowerCase());
  const root = /(?:^|;)\s*Root=([0-9a-fA-F-]+)/.exec(s);
  if (root) {
    const id = parseTraceId(root[1]!);
    if (id) return toXrayTraceId(id);
  }
  return null;
}
