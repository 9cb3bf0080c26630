import { lex, parseTraceId, toXrayTraceId } from '@fluoro/core';

/**
 * Building filter expressions from what a user clicked: a node, an edge, a status, a latency
 * range, a group-by row. Values are written as JSON strings, which the language reads back as
 * the same value whatever characters a name holds.
 */

export const quote = (s: string): string => JSON.stringify(s);

export type Status = 'ok' | 'error' | 'fault' | 'throttle';
export const STATUSES: readonly Status[] = ['ok', 'error', 'fault', 'throttle'];

/** A node is matched by name; when another node shares the name (Lambda, client), by type too. */
export function serviceSelector(name: string, type: string | null, ambiguous: boolean): string {
  if (ambiguous && type) return `service(id(name: ${quote(name)}, type: ${quote(type)}))`;
  return `service(${quote(name)})`;
}

export function edgeSelector(from: string, to: string): string {
  return `edge(${quote(from)}, ${quote(to)})`;
}

/** Rounds seconds to the millisecond and prints them without float noise. */
export function seconds(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/**
 * The block of a service or edge filter: the chosen statuses (ORed) and a response-time range.
 * Returns "" when nothing narrows the selection.
 */
export function blockCondition(statuses: readonly Status[], range: readonly [number, number] | null): string {
  const parts: string[] = [];
  if (statuses.length > 0 && statuses.length < STATUSES.length) {
    parts.push(statuses.length === 1 ? statuses[0]! : `(${statuses.join(' OR ')})`);
  }
  if (range) parts.push(`responsetime >= ${seconds(range[0])} AND responsetime <= ${seconds(range[1])}`);
  return parts.join(' AND ');
}

export function withBlock(selector: string, condition: string): string {
  return condition ? `${selector} { ${condition} }` : selector;
}

/** True when the expression has an OR outside any parentheses or braces. */
function hasTopLevelOr(expr: string): boolean {
  let depth = 0;
  for (const t of lex(expr)) {
    if (t.kind === 'lparen' || t.kind === 'lbrace' || t.kind === 'lbracket') depth++;
    else if (t.kind === 'rparen' || t.kind === 'rbrace' || t.kind === 'rbracket') depth--;
    else if (depth === 0 && t.kind === 'word' && t.value.toLowerCase() === 'or') return true;
  }
  return false;
}

/** `a AND b`, parenthesising either side where OR would otherwise bind differently. */
export function andFilter(a: string, b: string): string {
  const x = a.trim();
  const y = b.trim();
  if (!x) return y;
  if (!y) return x;
  const wrap = (e: string) => (hasTopLevelOr(e) ? `(${e})` : e);
  return `${wrap(x)} AND ${wrap(y)}`;
}

/** The trace's response time in `[from, to]` seconds, for a drag on a distribution chart. */
export function responseTimeRange(from: number, to: number): string {
  return `responsetime >= ${seconds(from)} AND responsetime <= ${seconds(to)}`;
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
