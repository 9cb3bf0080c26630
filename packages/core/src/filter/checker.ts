import type { Expr, Field, Literal, Op } from './ast.js';
import { diagnostic, type FilterDiagnostic } from './errors.js';
import { CONTEXT_LABEL, KEYWORD_BY_NAME, KEYWORDS, OPERATORS, type Context, type KeywordType } from './keywords.js';

declare const checked: unique symbol;
/** An expression the checker accepted: every keyword resolved, every comparison well typed. */
export type CheckedFilter = Expr & { readonly [checked]: true };

export type CheckResult = { readonly ok: true; readonly filter: CheckedFilter } | { readonly ok: false; readonly error: FilterDiagnostic };

export interface CheckOptions {
  /** Groups exist: group.name / group.arn may be used. Until then they are refused. */
  readonly groups?: boolean;
  /**
   * An entity selector (GetTimeSeriesServiceStatistics): service(...) or edge(...) without a block,
   * or several of one kind joined with OR.
   */
  readonly entitySelector?: boolean;
}

class Stop extends Error {
  constructor(readonly diagnostic: FilterDiagnostic) {
    super(diagnostic.message);
  }
}

/**
 * Resolves each keyword in its context and types each comparison (X-Ray's rules, spec §6):
 * boolean keywords take = and != with true or false; number keywords the six comparisons with a
 * number; string keywords =, !=, CONTAINS, BEGINSWITH and ENDSWITH with a string. Annotations take
 * the operators of their value's type. Reports the first problem with its place in the input.
 */
export function check(input: string, expr: Expr, options: CheckOptions = {}): CheckResult {
  try {
    if (options.entitySelector) checkEntitySelector(input, expr);
    visit(input, expr, 'trace', options, null);
    return { ok: true, filter: expr as CheckedFilter };
  } catch (err) {
    if (err instanceof Stop) return { ok: false, error: err.diagnostic };
    throw err;
  }
}

function visit(input: string, e: Expr, ctx: Context, options: CheckOptions, category: string | null): void {
  const fail = (start: number, end: number, message: string, code: FilterDiagnostic['code'] = 'NotAllowedHere'): never => {
    throw new Stop(diagnostic(input, code, message, start, end));
  };
  switch (e.kind) {
    case 'and':
    case 'or':
      visit(input, e.left, ctx, options, category);
      visit(input, e.right, ctx, options, category);
      return;
    case 'not':
      visit(input, e.operand, ctx, options, category);
      return;
    case 'present':
    case 'compare':
      checkField(input, e.field, ctx, category, e.kind === 'compare' ? { op: e.op, value: e.value } : null, fail);
      return;
    case 'service':
    case 'edge': {
      if (ctx !== 'trace')
        fail(e.loc.start, e.loc.start + e.kind.length, `${e.kind}(...) can only be used at the top level, not ${CONTEXT_LABEL[ctx]}`);
      if (e.filter) visit(input, e.filter, e.kind, options, null);
      return;
    }
    case 'rootcause':
      if (ctx !== 'trace') fail(e.loc.start, e.loc.start + 9, `rootcause.* can only be used at the top level, not ${CONTEXT_LABEL[ctx]}`);
      if (e.category === 'responsetime' && e.level === 'exception') {
        fail(
          e.loc.start,
          e.loc.start + 'rootcause.responsetime.exception'.length,
          'response-time root causes have no exceptions; use rootcause.fault.exception or rootcause.error.exception',
          'UnknownKeyword',
        );
      }
      visit(input, e.filter, `rc.${e.level}`, options, e.category);
      return;
    case 'rootcausejson':
      if (ctx !== 'trace') fail(e.loc.start, e.loc.end, `rootcause.json can only be used at the top level, not ${CONTEXT_LABEL[ctx]}`);
      return;
    case 'group':
      if (ctx !== 'trace') fail(e.loc.start, e.loc.end, `group.${e.field} can only be used at the top level, not ${CONTEXT_LABEL[ctx]}`);
      if (!options.groups)
        fail(
          e.loc.start,
          e.loc.start + 6 + e.field.length,
          `group.${e.field} refers to a group, and this Fluoro has no groups yet`,
          'Unsupported',
        );
      return;
    case 'traceid':
      if (ctx !== 'trace') fail(e.loc.start, e.loc.end, `a trace ID can only be searched at the top level, not ${CONTEXT_LABEL[ctx]}`);
      return;
  }
}

function checkField(
  input: string,
  field: Field,
  ctx: Context,
  category: string | null,
  comparison: { op: Op; value: Literal } | null,
  fail: (start: number, end: number, message: string, code?: FilterDiagnostic['code']) => never,
): void {
  const { start, end } = field.loc;
  let type: KeywordType | 'keyed';
  let shown: string;
  if (field.kind === 'annotation' || field.kind === 'attribute') {
    if (ctx !== 'trace')
      fail(start, end, `${field.kind}s can only be used at the top level, not ${CONTEXT_LABEL[ctx]} (they belong to the trace)`);
    type = 'keyed';
    shown = input.slice(start, end);
  } else {
    const kw = KEYWORD_BY_NAME.get(field.name);
    shown = field.name;
    if (!kw) {
      const guess = closest(field.name);
      const hint = guess
        ? `; did you mean ${guess}?`
        : /^[A-Za-z0-9_]+$/.test(field.name) && ctx === 'trace'
          ? `; for an annotation write annotation.${input.slice(start, end)}`
          : '';
      fail(start, end, `unknown keyword "${input.slice(start, end)}"${hint}`, 'UnknownKeyword');
    }
    if (kw.meaning[ctx] === undefined) {
      const where = listed((Object.keys(kw.meaning) as Context[]).map((c) => CONTEXT_LABEL[c]));
      fail(start, end, `${field.name} can only be used ${where}, not ${CONTEXT_LABEL[ctx]}`);
    }
    if (kw.responseTimeOnly && category !== 'responsetime')
      fail(start, end, `${field.name} only exists in rootcause.responsetime.* (response-time root causes)`);
    type = kw.type;
  }
  if (!comparison) return;
  const { op, value } = comparison;
  const opText = op.length > 2 ? op.toUpperCase() : op;
  const vStart = value.loc.start;
  const vEnd = value.loc.end;
  const found = input.slice(vStart, vEnd);
  if (type === 'keyed') {
    const ops = OPERATORS[value.type];
    if (!ops.includes(op)) {
      fail(
        start,
        vEnd,
        `'${opText}' cannot compare an ${field.kind} with a ${value.type}; use ${ops.map((o) => (o.length > 2 ? o.toUpperCase() : o)).join(' ')}`,
        'InvalidOperator',
      );
    }
    return;
  }
  if (!OPERATORS[type].includes(op)) {
    fail(
      start,
      vEnd,
      `'${opText}' cannot be used with ${shown}, a ${type} keyword; use ${OPERATORS[type].map((o) => (o.length > 2 ? o.toUpperCase() : o)).join(' ')}`,
      'InvalidOperator',
    );
  }
  const article = type === 'boolean' ? 'true or false' : `a ${type}`;
  if (value.type !== type)
    fail(vStart, vEnd, `expected ${article} after '${opText}' but found ${found.startsWith('"') ? found : `"${found}"`}`, 'InvalidValue');
}

/**
 * GetTimeSeriesServiceStatistics' entity selectors (spec §4.4): service(...) or edge(...) without a
 * block, or several of one kind joined with OR, so that the statistics are a node's or an edge's.
 * The first problem, left to right, is reported at the node that has it.
 */
function checkEntitySelector(input: string, expr: Expr): void {
  const fail = (start: number, end: number, message: string): never => {
    throw new Stop(diagnostic(input, 'NotAllowedHere', message, start, end));
  };
  let kind: 'service' | 'edge' | null = null;
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'or':
        walk(e.left);
        walk(e.right);
        return;
      case 'service':
      case 'edge':
        if (e.filter) fail(blockStart(input, e, e.filter), e.loc.end, 'an entity selector takes no { filter }');
        if (kind !== null && kind !== e.kind) fail(e.loc.start, e.loc.end, 'an entity selector cannot mix service(...) and edge(...)');
        kind = e.kind;
        return;
      case 'and':
      case 'not':
        return fail(e.loc.start, e.loc.end, 'an entity selector is service(...), edge(...), or several of one kind joined with OR');
      default:
        return fail(e.loc.start, e.loc.end, 'an entity selector may only use service(...), edge(...) and id(...)');
    }
  };
  walk(expr);
}

/**
 * Where the `{` of a service or edge block is. The tree has no node for it, but only `)` and
 * spaces lie between the last selector (or `service(`) and it; a tree without that text (a built
 * one) gets the block's own start.
 */
function blockStart(input: string, e: Extract<Expr, { kind: 'service' | 'edge' }>, filter: Expr): number {
  const after = e.kind === 'edge' ? e.to.loc.end : (e.selector?.loc.end ?? e.loc.start);
  const open = input.indexOf('{', after);
  return open >= 0 && open < filter.loc.start ? open : filter.loc.start;
}

/** `a`, `a or b`, `a, b or c`. */
function listed(items: string[]): string {
  return items.length <= 2 ? items.join(' or ') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The known keyword a typo most likely meant: at most 2 edits, and fewer than half its letters. */
function closest(word: string): string | null {
  let best: string | null = null;
  let bestDistance = Math.min(3, Math.ceil(word.length / 2));
  for (const k of KEYWORDS) {
    const d = distance(word, k.name);
    if (d < bestDistance) {
      best = k.name;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
