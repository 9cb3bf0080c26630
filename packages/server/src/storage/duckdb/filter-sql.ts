import type { CheckedFilter, Expr, Field, Literal, Op, Selector } from '@fluoro/core';
import { ident, join, sql, type SqlFragment, type SqlValue } from '../sql.js';

/**
 * Compiles a checked filter expression into DuckDB SQL over one trace per group, with the same
 * semantics as the in-memory evaluator (`@fluoro/core` evaluate.ts). Values are parameters only.
 *
 * The query has three layers:
 * - `candidates`: a necessary condition on single spans (or trace sets), so only traces that can
 *   match are aggregated. It may let through traces that do not match, never drop one that does.
 * - `aggregates`: per trace, one `bool_or` column per leaf condition, plus the root segment's facts.
 * - `predicate`: those columns combined; two-valued (every leaf is coalesced to false), so `!`
 *   means exactly "not" as in the evaluator.
 *
 * Span rows in the aggregation carry three derived columns: `is_root` (a segment whose parent is
 * not in the trace), and `callee_service` / `callee_type` / `callee_account` (the segment that
 * answers this span, if any).
 */
export interface CompiledFilter {
  readonly candidates: Candidates;
  readonly aggregates: readonly SqlFragment[];
  readonly predicate: SqlFragment;
}

/** A trace can only match if: anything (`all`), it has a span with `row`, or `set` holds for its ID. */
export type Candidates =
  | { readonly kind: 'all' }
  | { readonly kind: 'row'; readonly cond: SqlFragment }
  | { readonly kind: 'set'; readonly pred: (window: SqlFragment) => SqlFragment };

const ROOT_FACTS = {
  root_ok: sql`NOT error AND NOT fault AND NOT throttle`,
  root_error: sql`error`,
  root_fault: sql`fault`,
  root_rt: sql`end_time - start_time`,
  root_status: sql`http_status`,
  root_url: sql`http_url`,
  root_method: sql`http_method`,
  root_useragent: sql`http_user_agent`,
  root_clientip: sql`http_client_ip`,
} as const;
type RootFact = keyof typeof ROOT_FACTS;

const ROOT_FIELD: Record<string, RootFact> = {
  ok: 'root_ok',
  error: 'root_error',
  fault: 'root_fault',
  responsetime: 'root_rt',
  'http.status': 'root_status',
  'http.url': 'root_url',
  'http.method': 'root_method',
  'http.useragent': 'root_useragent',
  'http.clientip': 'root_clientip',
};

/** Row-level value of a keyword on one span (service and edge blocks; and existential leaves). */
const ROW_FIELD: Record<string, SqlFragment> = {
  error: sql`error`,
  fault: sql`fault`,
  throttle: sql`throttle`,
  partial: sql`in_progress`,
  root: sql`is_root`,
  ok: sql`(NOT error AND NOT fault AND NOT throttle)`,
  responsetime: sql`(end_time - start_time)`,
  duration: sql`(end_time - start_time)`,
  'http.status': sql`http_status`,
  'http.url': sql`http_url`,
  'http.method': sql`http_method`,
  'http.useragent': sql`http_user_agent`,
  'http.clientip': sql`http_client_ip`,
  user: sql`user_name`,
};

/** Multi-valued keywords at the top level: any span's value. */
const ANY_SPAN_FIELD: Record<string, SqlFragment> = {
  user: sql`user_name`,
  availabilityzone: sql`availability_zone`,
  'instance.id': sql`instance_id`,
  'resource.arn': sql`resource_arn`,
};

const INFERRED_CALL = sql`(downstream_name IS NOT NULL AND service IS NOT NULL AND callee_service IS NULL)`;

/** The window a query looks at, widened by the trace spread: root causes are read within it. */
export interface Bounds {
  readonly start: number;
  readonly end: number;
}

export function compileFilter(filter: CheckedFilter, bounds: Bounds): CompiledFilter {
  const c = new Compiler(bounds);
  const predicate = c.trace(filter);
  return { candidates: candidates(filter, bounds), aggregates: c.aggregates(), predicate };
}

class Compiler {
  readonly #leaves: SqlFragment[] = [];
  readonly #roots = new Set<RootFact>();

  constructor(private readonly bounds: Bounds) {}

  aggregates(): SqlFragment[] {
    const out: SqlFragment[] = [];
    for (const fact of this.#roots) out.push(sql`arg_min(${ROOT_FACTS[fact]}, start_time) FILTER (WHERE is_root) AS ${ident(fact)}`);
    this.#leaves.forEach((leaf, i) => out.push(sql`coalesce(bool_or(coalesce(${leaf}, false)), false) AS ${ident(`c${i}`)}`));
    out.push(sql`max(coalesce(end_time, start_time)) - min(start_time) AS trace_duration`);
    return out;
  }

  /** A leaf evaluated over the trace's spans: true when some span satisfies `cond`. */
  #any(cond: SqlFragment): SqlFragment {
    this.#leaves.push(cond);
    return ident(`c${this.#leaves.length - 1}`);
  }

  #root(fact: RootFact): SqlFragment {
    this.#roots.add(fact);
    return ident(fact);
  }

  trace(e: Expr): SqlFragment {
    switch (e.kind) {
      case 'and':
        return sql`(${this.trace(e.left)} AND ${this.trace(e.right)})`;
      case 'or':
        return sql`(${this.trace(e.left)} OR ${this.trace(e.right)})`;
      case 'not':
        return sql`(NOT ${this.trace(e.operand)})`;
      case 'present':
      case 'compare':
        return this.#traceField(e);
      case 'service':
        return this.#any(sql`${nodeRows(e.selector)} AND ${e.filter ? row(e.filter) : sql`true`}`);
      case 'edge':
        return this.#any(sql`${edgeRows(e.from, e.to)} AND ${e.filter ? row(e.filter) : sql`true`}`);
      case 'rootcause':
        return sql`(trace_id IN (${rootCauseQuery(e.category, e.level, e.filter, this.bounds)}))`;
      case 'rootcausejson':
        return e.patterns.length === 0
          ? sql`true`
          : sql`(${join(
              e.patterns.map((p) => sql`trace_id IN (${patternQuery(p, this.bounds)})`),
              sql` AND `,
            )})`;
      case 'traceid':
        return sql`(trace_id = ${e.id})`;
      case 'group':
        return sql`false`;
    }
  }

  #traceField(e: Extract<Expr, { kind: 'present' | 'compare' }>): SqlFragment {
    const f = e.field;
    if (f.kind === 'annotation') return this.#any(annotation(f.key, e.kind === 'compare' ? e : null));
    const rootFact = ROOT_FIELD[f.name];
    if (rootFact) return sql`coalesce(${test(this.#root(rootFact), e)}, false)`;
    const anySpan = ANY_SPAN_FIELD[f.name];
    if (anySpan) return this.#any(test(anySpan, e));
    switch (f.name) {
      case 'throttle':
        return sql`coalesce(${test(this.#any(sql`throttle AND (is_segment OR downstream_name IS NOT NULL)`), e)}, false)`;
      case 'partial':
        return sql`coalesce(${test(this.#any(sql`in_progress`), e)}, false)`;
      case 'inferred':
        return sql`coalesce(${test(this.#any(INFERRED_CALL), e)}, false)`;
      case 'duration':
        return sql`coalesce(${test(sql`trace_duration`, e)}, false)`;
    }
    throw new Error(`keyword ${f.name} has no SQL at the top level (the checker should have refused it)`);
  }
}

/** A bare keyword (true or present) or a comparison, applied to a value. */
function test(value: SqlFragment, e: Extract<Expr, { kind: 'present' | 'compare' }>): SqlFragment {
  if (e.kind === 'present') return e.field.kind === 'keyword' && isBoolean(e.field.name) ? value : sql`(${value} IS NOT NULL)`;
  return comparison(value, e.op, e.value);
}

function isBoolean(keyword: string): boolean {
  return ['ok', 'error', 'fault', 'throttle', 'partial', 'inferred', 'root', 'first', 'last', 'remote'].includes(keyword);
}

function comparison(value: SqlFragment, op: Op, lit: Literal): SqlFragment {
  const v: SqlValue = lit.value;
  switch (op) {
    case '=':
      return sql`(${value} = ${v})`;
    case '!=':
      return sql`(${value} <> ${v})`;
    case '<':
      return sql`(${value} < ${v})`;
    case '<=':
      return sql`(${value} <= ${v})`;
    case '>':
      return sql`(${value} > ${v})`;
    case '>=':
      return sql`(${value} >= ${v})`;
    case 'contains':
      return sql`contains(${value}, ${v})`;
    case 'beginswith':
      return sql`starts_with(${value}, ${v})`;
    case 'endswith':
      return sql`ends_with(${value}, ${v})`;
  }
}

/** An annotation of any span, typed by the literal compared with it (or present at all). */
function annotation(key: string, e: Extract<Expr, { kind: 'compare' }> | null): SqlFragment {
  const path = `$."${key}"`;
  // The column is JSON.stringify's output, so the key appears exactly as this text: a substring
  // test (cheap) rules out most rows before the JSON is parsed.
  const mentioned = sql`contains(annotations, ${`${JSON.stringify(key)}:`})`;
  if (!e) return sql`(${mentioned} AND json_type(annotations, ${path}) IS NOT NULL)`;
  const lit = e.value;
  switch (lit.type) {
    case 'string':
      return sql`(${mentioned} AND json_type(annotations, ${path}) = 'VARCHAR' AND ${comparison(sql`(annotations ->> ${path})`, e.op, lit)})`;
    case 'number':
      return sql`(${mentioned} AND json_type(annotations, ${path}) IN ('UBIGINT', 'BIGINT', 'DOUBLE') AND ${comparison(sql`CAST(annotations ->> ${path} AS DOUBLE)`, e.op, lit)})`;
    case 'boolean':
      return sql`(${mentioned} AND json_type(annotations, ${path}) = 'BOOLEAN' AND ${comparison(sql`CAST(annotations ->> ${path} AS BOOLEAN)`, e.op, lit)})`;
  }
}

/** A block's filter on one span row (service and edge blocks). */
function row(e: Expr): SqlFragment {
  switch (e.kind) {
    case 'and':
      return sql`(${row(e.left)} AND ${row(e.right)})`;
    case 'or':
      return sql`(${row(e.left)} OR ${row(e.right)})`;
    case 'not':
      return sql`(NOT ${row(e.operand)})`;
    case 'present':
    case 'compare': {
      const value = e.field.kind === 'keyword' ? ROW_FIELD[e.field.name] : undefined;
      if (!value) throw new Error('a block holds only keywords (the checker should have refused this)');
      return sql`coalesce(${test(value, e)}, false)`;
    }
    default:
      throw new Error(`${e.kind} cannot appear inside a block (the checker should have refused it)`);
  }
}

/** Node identity against a selector; `account` is null where the node has none. */
function nodeMatch(sel: Selector, nameCol: SqlFragment, typeCol: SqlFragment, account: SqlFragment | null): SqlFragment {
  if (sel.kind === 'name') return sql`(${nameCol} = ${sel.name})`;
  const parts: SqlFragment[] = [];
  if (sel.name !== undefined) parts.push(sql`${nameCol} = ${sel.name}`);
  if (sel.type !== undefined) parts.push(sql`${typeCol} = ${sel.type}`);
  if (sel.accountId !== undefined) parts.push(account ? sql`${account} = ${sel.accountId}` : sql`false`);
  return parts.length ? sql`(${join(parts, sql` AND `)})` : sql`true`;
}

/** Rows that are a node's segments: a service's own segments, or the calls to an inferred node. */
function nodeRows(sel: Selector | null): SqlFragment {
  if (!sel) return sql`(is_segment OR ${INFERRED_CALL})`;
  return sql`((is_segment AND ${nodeMatch(sel, sql`service`, sql`service_type`, sql`account_id`)}) OR (${INFERRED_CALL} AND ${nodeMatch(sel, sql`downstream_name`, sql`downstream_type`, null)}))`;
}

/** Rows that are calls on an edge from → to, each measured by the span that makes the call. */
function edgeRows(from: Selector, to: Selector): SqlFragment {
  return sql`(
    (is_root AND ${nodeMatch(from, sql`service`, sql`'client'`, null)} AND ${nodeMatch(to, sql`service`, sql`service_type`, sql`account_id`)})
    OR (callee_service IS NOT NULL AND service IS NOT NULL AND ${nodeMatch(from, sql`service`, sql`service_type`, null)} AND ${nodeMatch(to, sql`callee_service`, sql`callee_type`, sql`callee_account`)})
    OR (${INFERRED_CALL} AND ${nodeMatch(from, sql`service`, sql`service_type`, null)} AND ${nodeMatch(to, sql`downstream_name`, sql`downstream_type`, null)}))`;
}

/** Trace IDs having a root cause of a category with an element (service, entity, exception) matching. */
function rootCauseQuery(category: string, level: 'service' | 'entity' | 'exception', filter: Expr, bounds: Bounds): SqlFragment {
  const from =
    level === 'service'
      ? sql`root_causes AS rc, json_each(rc.doc, '$.Services') AS sv`
      : level === 'entity'
        ? sql`root_causes AS rc, json_each(rc.doc, '$.Services') AS sv, json_each(sv.value, '$.EntityPath') AS en`
        : sql`root_causes AS rc, json_each(rc.doc, '$.Services') AS sv, json_each(sv.value, '$.EntityPath') AS en, json_each(en.value, '$.Exceptions') AS ex`;
  return sql`SELECT rc.trace_id FROM ${from}
    WHERE rc.trace_time >= ${bounds.start} AND rc.trace_time < ${bounds.end} AND rc.category = ${category} AND ${element(filter, level)}`;
}

function element(e: Expr, level: 'service' | 'entity' | 'exception'): SqlFragment {
  switch (e.kind) {
    case 'and':
      return sql`(${element(e.left, level)} AND ${element(e.right, level)})`;
    case 'or':
      return sql`(${element(e.left, level)} OR ${element(e.right, level)})`;
    case 'not':
      return sql`(NOT ${element(e.operand, level)})`;
    case 'present':
    case 'compare':
      if (e.field.kind !== 'keyword') throw new Error('annotations cannot appear in root-cause blocks');
      return sql`coalesce(${test(elementField(e.field.name, level), e)}, false)`;
    default:
      throw new Error(`${e.kind} cannot appear inside a root-cause block`);
  }
}

function elementField(keyword: string, level: 'service' | 'entity' | 'exception'): SqlFragment {
  const [alias, list, parent] =
    level === 'service'
      ? [sql`sv`, '$.Services', sql`rc.doc`]
      : level === 'entity'
        ? [sql`en`, '$.EntityPath', sql`sv.value`]
        : [sql`ex`, '$.Exceptions', sql`en.value`];
  const index = sql`CAST(${alias}.key AS INTEGER)`;
  switch (keyword) {
    case 'index':
      return index;
    case 'first':
      return sql`(${index} = 0)`;
    case 'last':
      return sql`(${index} = json_array_length(${parent}, ${list}) - 1)`;
    case 'name':
      return sql`(${alias}.value ->> '$.Name')`;
    case 'type':
      return sql`(${alias}.value ->> '$.Type')`;
    case 'message':
      return sql`(${alias}.value ->> '$.Message')`;
    case 'inferred':
      return sql`CAST(${alias}.value ->> '$.Inferred' AS BOOLEAN)`;
    case 'remote':
      return sql`CAST(${alias}.value ->> '$.Remote' AS BOOLEAN)`;
    case 'coverage':
      return sql`CAST(${alias}.value ->> '$.Coverage' AS DOUBLE)`;
  }
  throw new Error(`keyword ${keyword} has no SQL in a root-cause block`);
}

/**
 * Trace IDs with a root cause (any category) matching a `rootcause.json` pattern: every value the
 * pattern gives is equal at its path, and every list has the pattern's length.
 */
function patternQuery(pattern: unknown, bounds: Bounds): SqlFragment {
  const conds: SqlFragment[] = [];
  const walk = (p: unknown, path: string): void => {
    if (Array.isArray(p)) {
      conds.push(sql`coalesce(json_array_length(doc, ${path}) = ${p.length}, false)`);
      p.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else if (p !== null && typeof p === 'object') {
      conds.push(sql`coalesce(json_type(doc, ${path}) = 'OBJECT', false)`);
      for (const [k, v] of Object.entries(p)) walk(v, `${path}."${k.replace(/"/g, '\\"')}"`);
    } else if (typeof p === 'string') {
      conds.push(sql`coalesce(json_type(doc, ${path}) = 'VARCHAR' AND (doc ->> ${path}) = ${p}, false)`);
    } else if (typeof p === 'number') {
      conds.push(
        sql`coalesce(json_type(doc, ${path}) IN ('UBIGINT', 'BIGINT', 'DOUBLE') AND CAST(doc ->> ${path} AS DOUBLE) = ${p}, false)`,
      );
    } else if (typeof p === 'boolean') {
      conds.push(sql`coalesce(json_type(doc, ${path}) = 'BOOLEAN' AND CAST(doc ->> ${path} AS BOOLEAN) = ${p}, false)`);
    } else {
      conds.push(sql`coalesce(json_type(doc, ${path}) = 'NULL', false)`);
    }
  };
  walk(pattern, '$');
  return sql`SELECT trace_id FROM root_causes WHERE trace_time >= ${bounds.start} AND trace_time < ${bounds.end} AND ${join(conds, sql` AND `)}`;
}

/**
 * A necessary condition for a trace to match, on single spans where possible. Negations and
 * whole-trace quantities (duration) give none. Root-segment facts become conditions on any segment
 * (the root is one). Blocks drop what needs the joins (root, callee), which only weakens them.
 */
function candidates(e: Expr, bounds: Bounds): Candidates {
  switch (e.kind) {
    case 'and': {
      const a = candidates(e.left, bounds);
      const b = candidates(e.right, bounds);
      if (a.kind === 'all') return b;
      if (b.kind === 'all') return a;
      return { kind: 'set', pred: (w) => sql`(${asSet(a, w)} AND ${asSet(b, w)})` };
    }
    case 'or': {
      const a = candidates(e.left, bounds);
      const b = candidates(e.right, bounds);
      if (a.kind === 'all' || b.kind === 'all') return { kind: 'all' };
      if (a.kind === 'row' && b.kind === 'row') return { kind: 'row', cond: sql`(${a.cond} OR ${b.cond})` };
      return { kind: 'set', pred: (w) => sql`(${asSet(a, w)} OR ${asSet(b, w)})` };
    }
    case 'not':
    case 'group':
      return { kind: 'all' };
    case 'traceid':
      return { kind: 'row', cond: sql`trace_id = ${e.id}` };
    case 'rootcause':
      return { kind: 'set', pred: () => sql`trace_id IN (${rootCauseQuery(e.category, e.level, e.filter, bounds)})` };
    case 'rootcausejson':
      return e.patterns.length === 0
        ? { kind: 'all' }
        : {
            kind: 'set',
            pred: () =>
              join(
                e.patterns.map((p) => sql`trace_id IN (${patternQuery(p, bounds)})`),
                sql` AND `,
              ),
          };
    case 'service': {
      const match = e.selector
        ? sql`((is_segment AND ${nodeMatch(e.selector, sql`service`, sql`service_type`, sql`account_id`)}) OR (downstream_name IS NOT NULL AND ${nodeMatch(e.selector, sql`downstream_name`, sql`downstream_type`, null)}))`
        : sql`(is_segment OR downstream_name IS NOT NULL)`;
      return { kind: 'row', cond: e.filter && !mentions(e.filter, ['root']) ? sql`(${match} AND ${row(e.filter)})` : match };
    }
    case 'edge': {
      const from =
        e.from.kind === 'name' || e.from.name !== undefined
          ? sql`service = ${e.from.kind === 'name' ? e.from.name : e.from.name!}`
          : sql`service IS NOT NULL`;
      return { kind: 'row', cond: e.filter ? sql`(${from} AND ${row(e.filter)})` : from };
    }
    case 'present':
    case 'compare':
      return leafCandidates(e);
  }
}

function leafCandidates(e: Extract<Expr, { kind: 'present' | 'compare' }>): Candidates {
  const f: Field = e.field;
  if (f.kind === 'annotation') return { kind: 'row', cond: annotation(f.key, e.kind === 'compare' ? e : null) };
  // Only the affirmative forms of a boolean keyword say something about single spans.
  const affirmative =
    e.kind === 'present' || (e.value.type === 'boolean' && ((e.op === '=' && e.value.value) || (e.op === '!=' && !e.value.value)));
  if (isBoolean(f.name)) {
    if (!affirmative) return { kind: 'all' };
    switch (f.name) {
      case 'ok':
        return { kind: 'row', cond: sql`(is_segment AND NOT error AND NOT fault AND NOT throttle)` };
      case 'error':
      case 'fault':
        return { kind: 'row', cond: sql`(is_segment AND ${ROW_FIELD[f.name]!})` };
      case 'throttle':
        return { kind: 'row', cond: sql`throttle` };
      case 'partial':
        return { kind: 'row', cond: sql`in_progress` };
      case 'inferred':
        return { kind: 'row', cond: sql`downstream_name IS NOT NULL` };
    }
    return { kind: 'all' };
  }
  if (f.name === 'duration') return { kind: 'all' };
  const anySpan = ANY_SPAN_FIELD[f.name];
  if (anySpan) return { kind: 'row', cond: test(anySpan, e) };
  const value = ROW_FIELD[f.name];
  if (!value) return { kind: 'all' };
  // responsetime < v says nothing about other segments; the root segment's own value decides.
  if (f.name === 'responsetime' && e.kind === 'compare' && !['>', '>=', '='].includes(e.op)) return { kind: 'all' };
  return { kind: 'row', cond: sql`(is_segment AND coalesce(${test(value, e)}, false))` };
}

function asSet(c: Candidates, window: SqlFragment): SqlFragment {
  if (c.kind === 'set') return c.pred(window);
  if (c.kind === 'row') return sql`trace_id IN (SELECT trace_id FROM spans WHERE ${window} AND ${c.cond})`;
  return sql`true`;
}

export function candidatePredicate(c: Candidates, window: SqlFragment): SqlFragment {
  return asSet(c, window);
}

function mentions(e: Expr, keywords: string[]): boolean {
  switch (e.kind) {
    case 'and':
    case 'or':
      return mentions(e.left, keywords) || mentions(e.right, keywords);
    case 'not':
      return mentions(e.operand, keywords);
    case 'present':
    case 'compare':
      return e.field.kind === 'keyword' && keywords.includes(e.field.name);
    default:
      return false;
  }
}
