import type { CheckedFilter, Expr, Field, Selector } from '@fluoro/core';
import { ALWAYS_READ, CALLEE_READS, JOIN_OF, type RowField, type SpanField } from './fields.js';
import { ANY_SPAN_VALUE, isBooleanKeyword, ROOT_FACT_OF, ROOT_FACT_VALUE, ROW_VALUE } from './catalog.js';
import type {
  Candidates,
  ElementCond,
  ElementValue,
  FilterPlan,
  NodeMatch,
  Pattern,
  RootCauseQuery,
  RootFact,
  RowCond,
  RowValue,
  Test,
  TraceCond,
  TraceSet,
} from './plan.js';
import { NODE_OUTCOMES, type NodeOutcome } from './plan.js';

/**
 * Plans a checked filter expression (see `FilterPlan`) with the same semantics as the in-memory
 * evaluator (`@fluoro/core` evaluate.ts); the differential conformance case holds every SQL
 * dialect's execution of the plan to the evaluator's answers.
 */
export function planFilter(filter: CheckedFilter): FilterPlan {
  const p = new Planner();
  const predicate = p.trace(filter);
  return {
    candidates: candidates(filter),
    leaves: p.leaves,
    rootFacts: [...p.roots],
    predicate,
    needs: needsOf(p.leaves, [...p.roots]),
    nodeLeaves: p.nodeLeaves,
  };
}

type Comparison = Extract<Expr, { kind: 'present' | 'compare' }>;

const and = (left: RowCond, right: RowCond): RowCond => ({ kind: 'and', left, right });
const or = (left: RowCond, right: RowCond): RowCond => ({ kind: 'or', left, right });
const is = (field: RowField): RowCond => ({ kind: 'test', value: { kind: 'field', field }, test: { kind: 'true' } });
const notNull = (field: RowField): RowCond => ({ kind: 'notNull', field });
const equals = (value: RowValue, literal: string): RowCond => ({ kind: 'test', value, test: { kind: 'compare', op: '=', value: literal } });
const fieldOf = (field: RowField): RowValue => ({ kind: 'field', field });
const TRUE: RowCond = { kind: 'const', value: true };
const FALSE: RowCond = { kind: 'const', value: false };

/** A call to a downstream node that no segment answered, made by a known service (an inferred node). */
const INFERRED_CALL: RowCond = and(and(notNull('downstreamName'), notNull('service')), { kind: 'isNull', field: 'calleeService' });

/** A bare keyword (true when boolean, else present) or a comparison. */
function testOf(e: Comparison): Test {
  if (e.kind === 'compare') return { kind: 'compare', op: e.op, value: e.value.value };
  return e.field.kind === 'keyword' && isBooleanKeyword(e.field.name) ? { kind: 'true' } : { kind: 'present' };
}

class Planner {
  readonly leaves: RowCond[] = [];
  readonly roots = new Set<RootFact>();
  readonly nodeLeaves: Array<{ leaf: number; match: NodeMatch | null; outcomes?: readonly NodeOutcome[] }> = [];

  /** A leaf evaluated over the trace's spans: true when some span satisfies `cond`. */
  #any(cond: RowCond): number {
    this.leaves.push(cond);
    return this.leaves.length - 1;
  }

  trace(e: Expr): TraceCond {
    switch (e.kind) {
      case 'and':
      case 'or':
        return { kind: e.kind, left: this.trace(e.left), right: this.trace(e.right) };
      case 'not':
        return { kind: 'not', operand: this.trace(e.operand) };
      case 'present':
      case 'compare':
        return this.#traceField(e);
      case 'service': {
        const index = this.#any(and(nodeRows(e.selector), e.filter ? row(e.filter) : TRUE));
        const match = e.selector ? selectorMatch(e.selector) : null;
        if (!e.filter) this.nodeLeaves.push({ leaf: index, match });
        else {
          const outcomes = outcomesOf(e.filter);
          if (outcomes) this.nodeLeaves.push({ leaf: index, match, outcomes });
        }
        return { kind: 'leaf', index };
      }
      case 'edge':
        return { kind: 'leaf', index: this.#any(and(edgeRows(e.from, e.to), e.filter ? row(e.filter) : TRUE)) };
      case 'rootcause':
        return { kind: 'rootCause', query: rootCauseQuery(e) };
      case 'rootcausejson':
        return e.patterns.length === 0 ? { kind: 'const', value: true } : { kind: 'patterns', patterns: e.patterns.map(pattern) };
      case 'traceid':
        return { kind: 'traceId', id: e.id };
      case 'group':
        return { kind: 'const', value: false };
    }
  }

  #traceField(e: Comparison): TraceCond {
    const f = e.field;
    if (f.kind !== 'keyword') return { kind: 'leaf', index: this.#any(member(f.kind, f.key, e)) };
    const fact = ROOT_FACT_OF[f.name];
    if (fact) {
      this.roots.add(fact);
      return { kind: 'root', fact, test: testOf(e) };
    }
    const anySpan = ANY_SPAN_VALUE[f.name];
    if (anySpan) return { kind: 'leaf', index: this.#any({ kind: 'test', value: anySpan, test: testOf(e) }) };
    switch (f.name) {
      case 'throttle':
        return { kind: 'leafTest', index: this.#any(and(is('throttle'), or(is('isSegment'), notNull('downstreamName')))), test: testOf(e) };
      case 'partial':
        return { kind: 'leafTest', index: this.#any(is('inProgress')), test: testOf(e) };
      case 'inferred':
        return { kind: 'leafTest', index: this.#any(INFERRED_CALL), test: testOf(e) };
      case 'duration':
        return { kind: 'duration', test: testOf(e) };
    }
    throw new Error(`keyword ${f.name} has no plan at the top level (the checker should have refused it)`);
  }
}

/**
 * The outcomes a block asks for when it is only bare outcome keywords, OR-ed (`{ fault }`,
 * `{ error OR fault }`: some row has one of them, so some row has the first or some row the
 * second), else null.
 */
function outcomesOf(e: Expr): NodeOutcome[] | null {
  if (e.kind === 'or') {
    const [a, b] = [outcomesOf(e.left), outcomesOf(e.right)];
    return a && b ? [...a, ...b] : null;
  }
  if (e.kind !== 'present' || e.field.kind !== 'keyword') return null;
  const name = e.field.name;
  const outcome = NODE_OUTCOMES.find((o) => o === name);
  return outcome ? [outcome] : null;
}

/** An annotation or attribute of any span, typed by the literal compared with it (or present at all). */
function member(kind: 'annotation' | 'attribute', key: string, e: Comparison): RowCond {
  return {
    kind: 'json',
    column: kind === 'annotation' ? 'annotations' : 'attributes',
    key,
    test: e.kind === 'compare' ? { kind: 'compare', op: e.op, value: e.value.value } : { kind: 'present' },
  };
}

/** A block's filter on one span row (service and edge blocks), two-valued. */
function row(e: Expr): RowCond {
  switch (e.kind) {
    case 'and':
    case 'or':
      return { kind: e.kind, left: row(e.left), right: row(e.right) };
    case 'not':
      return { kind: 'not', operand: row(e.operand) };
    case 'present':
    case 'compare': {
      const value = e.field.kind === 'keyword' ? ROW_VALUE[e.field.name] : undefined;
      if (!value) throw new Error('a block holds only keywords (the checker should have refused this)');
      return { kind: 'orFalse', cond: { kind: 'test', value, test: testOf(e) } };
    }
    default:
      throw new Error(`${e.kind} cannot appear inside a block (the checker should have refused it)`);
  }
}

/** Node identity against a selector; `account` is null where the node has none (no id(account.id:) matches it). */
/** A selector as the node it names. */
function selectorMatch(sel: Selector): NodeMatch {
  if (sel.kind === 'name') return { name: sel.name };
  return {
    ...(sel.name !== undefined ? { name: sel.name } : {}),
    ...(sel.type !== undefined ? { type: sel.type } : {}),
    ...(sel.accountId !== undefined ? { accountId: sel.accountId } : {}),
  };
}

export function nodeMatch(sel: Selector, name: RowValue, type: RowValue, account: RowValue | null): RowCond {
  if (sel.kind === 'name') return equals(name, sel.name);
  const parts: RowCond[] = [];
  if (sel.name !== undefined) parts.push(equals(name, sel.name));
  if (sel.type !== undefined) parts.push(equals(type, sel.type));
  if (sel.accountId !== undefined) parts.push(account ? equals(account, sel.accountId) : FALSE);
  return parts.length ? parts.reduce(and) : TRUE;
}

const SERVICE = fieldOf('service');
const SERVICE_TYPE = fieldOf('serviceType');
const ACCOUNT = fieldOf('accountId');
const DOWNSTREAM = fieldOf('downstreamName');
const DOWNSTREAM_TYPE = fieldOf('downstreamType');

/** Rows that are a node's segments: a service's own segments, or the calls to an inferred node. */
function nodeRows(sel: Selector | null): RowCond {
  if (!sel) return or(is('isSegment'), INFERRED_CALL);
  return or(
    and(is('isSegment'), nodeMatch(sel, SERVICE, SERVICE_TYPE, ACCOUNT)),
    and(INFERRED_CALL, nodeMatch(sel, DOWNSTREAM, DOWNSTREAM_TYPE, null)),
  );
}

/** Rows that are calls on an edge from → to, each measured by the span that makes the call. */
function edgeRows(from: Selector, to: Selector): RowCond {
  const client: RowValue = { kind: 'text', value: 'client' };
  const fromClient = and(and(is('isRoot'), nodeMatch(from, SERVICE, client, null)), nodeMatch(to, SERVICE, SERVICE_TYPE, ACCOUNT));
  const toSegment = and(
    and(and(notNull('calleeService'), notNull('service')), nodeMatch(from, SERVICE, SERVICE_TYPE, null)),
    nodeMatch(to, fieldOf('calleeService'), fieldOf('calleeType'), fieldOf('calleeAccount')),
  );
  const toInferred = and(
    and(INFERRED_CALL, nodeMatch(from, SERVICE, SERVICE_TYPE, null)),
    nodeMatch(to, DOWNSTREAM, DOWNSTREAM_TYPE, null),
  );
  return or(or(fromClient, toSegment), toInferred);
}

function rootCauseQuery(e: Extract<Expr, { kind: 'rootcause' }>): RootCauseQuery {
  return { category: e.category, level: e.level, cond: element(e.filter) };
}

function element(e: Expr): ElementCond {
  switch (e.kind) {
    case 'and':
    case 'or':
      return { kind: e.kind, left: element(e.left), right: element(e.right) };
    case 'not':
      return { kind: 'not', operand: element(e.operand) };
    case 'present':
    case 'compare': {
      if (e.field.kind !== 'keyword') throw new Error('annotations cannot appear in root-cause blocks');
      return { kind: 'test', value: e.field.name as ElementValue, test: testOf(e) };
    }
    default:
      throw new Error(`${e.kind} cannot appear inside a root-cause block`);
  }
}

/** Patterns of the (immutable) AST, planned once: the predicate and the candidates both need them. */
const PATTERNS = new WeakMap<object, Pattern>();

/** A `rootcause.json` pattern as checks at paths (see `Pattern`). */
function pattern(p: unknown): Pattern {
  const known = p !== null && typeof p === 'object' ? PATTERNS.get(p) : undefined;
  if (known) return known;
  const checks: Array<Pattern[number]> = [];
  const walk = (v: unknown, path: Array<string | number>): void => {
    if (Array.isArray(v)) {
      checks.push({ kind: 'length', path, length: v.length });
      v.forEach((x, i) => walk(x, [...path, i]));
    } else if (v !== null && typeof v === 'object') {
      checks.push({ kind: 'object', path });
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      checks.push({ kind: 'equals', path, value: v });
    } else {
      checks.push({ kind: 'null', path });
    }
  };
  walk(p, []);
  if (p !== null && typeof p === 'object') PATTERNS.set(p, checks);
  return checks;
}

/**
 * A necessary condition for a trace to match, on single spans where possible. Negations and
 * whole-trace quantities (duration) give none. Root-segment facts become conditions on any segment
 * (the root is one). Blocks drop what needs the joins (root, callee), which only weakens them.
 */
function candidates(e: Expr): Candidates {
  switch (e.kind) {
    case 'and': {
      const a = candidates(e.left);
      const b = candidates(e.right);
      if (a.kind === 'all') return b;
      if (b.kind === 'all') return a;
      // Candidates need only be a superset: past MAX_CANDIDATE_SETS sets, leaving the rest out keeps
      // the plan linear in the terms (each set is a subquery the database plans on its own).
      if (setCount(a) >= MAX_CANDIDATE_SETS) return a;
      return { kind: 'set', set: { kind: 'and', left: asSet(a), right: asSet(b) } };
    }
    case 'or': {
      const a = candidates(e.left);
      const b = candidates(e.right);
      if (a.kind === 'all' || b.kind === 'all') return { kind: 'all' };
      if (a.kind === 'row' && b.kind === 'row') return { kind: 'row', cond: or(a.cond, b.cond) };
      return { kind: 'set', set: { kind: 'or', left: asSet(a), right: asSet(b) } };
    }
    case 'not':
    case 'group':
      return { kind: 'all' };
    case 'traceid':
      return { kind: 'row', cond: { kind: 'traceId', id: e.id } };
    case 'rootcause':
      return { kind: 'set', set: { kind: 'rootCause', query: rootCauseQuery(e) } };
    case 'rootcausejson':
      return e.patterns.length === 0 ? { kind: 'all' } : { kind: 'set', set: { kind: 'patterns', patterns: e.patterns.map(pattern) } };
    case 'service': {
      const match = e.selector
        ? or(
            and(is('isSegment'), nodeMatch(e.selector, SERVICE, SERVICE_TYPE, ACCOUNT)),
            and(notNull('downstreamName'), nodeMatch(e.selector, DOWNSTREAM, DOWNSTREAM_TYPE, null)),
          )
        : or(is('isSegment'), notNull('downstreamName'));
      return { kind: 'row', cond: e.filter && !mentions(e.filter, ['root']) ? and(match, row(e.filter)) : match };
    }
    case 'edge': {
      const name = e.from.name;
      const from = name !== undefined ? equals(SERVICE, name) : notNull('service');
      return { kind: 'row', cond: e.filter ? and(from, row(e.filter)) : from };
    }
    case 'present':
    case 'compare':
      return leafCandidates(e);
  }
}

function leafCandidates(e: Comparison): Candidates {
  const f: Field = e.field;
  if (f.kind !== 'keyword') return { kind: 'row', cond: member(f.kind, f.key, e) };
  // Only the affirmative forms of a boolean keyword say something about single spans.
  const affirmative =
    e.kind === 'present' || (e.value.type === 'boolean' && ((e.op === '=' && e.value.value) || (e.op === '!=' && !e.value.value)));
  if (isBooleanKeyword(f.name)) {
    if (!affirmative) return { kind: 'all' };
    switch (f.name) {
      case 'ok':
        return { kind: 'row', cond: and(is('isSegment'), { kind: 'test', value: { kind: 'ok' }, test: { kind: 'true' } }) };
      case 'error':
      case 'fault':
        return { kind: 'row', cond: and(is('isSegment'), is(f.name)) };
      case 'throttle':
        return { kind: 'row', cond: is('throttle') };
      case 'partial':
        return { kind: 'row', cond: is('inProgress') };
      case 'inferred':
        return { kind: 'row', cond: notNull('downstreamName') };
    }
    return { kind: 'all' };
  }
  if (f.name === 'duration') return { kind: 'all' };
  const anySpan = ANY_SPAN_VALUE[f.name];
  if (anySpan) return { kind: 'row', cond: { kind: 'test', value: anySpan, test: testOf(e) } };
  const value = ROW_VALUE[f.name];
  if (!value) return { kind: 'all' };
  // responsetime < v says nothing about other segments; the root segment's own value decides.
  if (f.name === 'responsetime' && e.kind === 'compare' && !['>', '>=', '='].includes(e.op)) return { kind: 'all' };
  return { kind: 'row', cond: and(is('isSegment'), { kind: 'orFalse', cond: { kind: 'test', value, test: testOf(e) } }) };
}

/**
 * AND-ed candidate sets worth their subqueries: each narrows the traces grouped, but the database
 * plans each one, and DuckDB's planner grows faster than linearly in nested sets (100 took 735 ms
 * to EXPLAIN on an empty table, 150 took 4.6 s).
 */
export const MAX_CANDIDATE_SETS = 2;

/** Subqueries an AND of candidates holds (an OR counts as one). */
function setCount(c: Candidates): number {
  if (c.kind !== 'set') return c.kind === 'row' ? 1 : 0;
  const count = (s: TraceSet): number => (s.kind === 'and' ? count(s.left) + count(s.right) : s.kind === 'all' ? 0 : 1);
  return count(c.set);
}

function asSet(c: Candidates): TraceSet {
  if (c.kind === 'set') return c.set;
  if (c.kind === 'row') return { kind: 'rows', cond: c.cond };
  return { kind: 'all' };
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

/** Calls `use` with each field a value reads. */
function valueFields(v: RowValue, use: (f: RowField) => void): void {
  if (v.kind === 'field' || v.kind === 'route') use(v.field);
  else if (v.kind === 'ok') ['error', 'fault', 'throttle'].forEach((f) => use(f as SpanField));
}

/** Calls `use` with each field a row condition reads (joined ones too). */
export function fieldsRead(c: RowCond, use: (f: RowField) => void): void {
  switch (c.kind) {
    case 'and':
    case 'or':
      fieldsRead(c.left, use);
      fieldsRead(c.right, use);
      return;
    case 'not':
      return fieldsRead(c.operand, use);
    case 'orFalse':
      return fieldsRead(c.cond, use);
    case 'test':
      return valueFields(c.value, use);
    case 'isNull':
    case 'notNull':
      return use(c.field);
    case 'json':
      return use(c.column);
    case 'traceId':
    case 'const':
      return;
  }
}

/** The span fields and joins the per-trace aggregation reads (leaves and root facts). */
function needsOf(leaves: readonly RowCond[], roots: readonly RootFact[]): FilterPlan['needs'] {
  const fields = new Set<SpanField>(ALWAYS_READ);
  let root = roots.length > 0;
  let callee = false;
  const use = (f: RowField): void => {
    if (f in JOIN_OF) {
      if (JOIN_OF[f as keyof typeof JOIN_OF] === 'root') root = true;
      else callee = true;
    } else fields.add(f as SpanField);
  };
  leaves.forEach((c) => fieldsRead(c, use));
  roots.forEach((r) => valueFields(ROOT_FACT_VALUE[r], use));
  if (callee) CALLEE_READS.forEach((f) => fields.add(f));
  return { fields: [...fields], root, callee };
}
