import type { Op } from '@fluoro/core';
import { ROOT_FACT_VALUE } from '../../query/catalog.js';
import type {
  Candidates,
  RootFact,
  ElementCond,
  FilterPlan,
  Literal,
  Pattern,
  RootCauseQuery,
  RowCond,
  RowValue,
  Test,
  TraceCond,
  TraceSet,
} from '../../query/plan.js';
import { column } from './columns.js';
import type { ElementSql, JsonTest, SqlDialect } from './dialect.js';
import { constant, ident, join, sql, type SqlFragment } from './fragment.js';

/** The window a query looks at, widened by the trace spread: root causes are read within it. */
export interface Bounds {
  readonly start: number;
  readonly end: number;
}

/** A filter plan as SQL: see `FilterPlan` for what each part means. */
export interface CompiledFilter {
  /** A predicate on `trace_id` (for a scan of `spans` within `window`) that every matching trace satisfies. */
  candidates(window: SqlFragment): SqlFragment;
  /** Per-trace aggregates over its spans (with `is_root` / `callee_*` when the plan needs them). */
  readonly aggregates: readonly SqlFragment[];
  /** Over the aggregates: the trace matches. */
  readonly predicate: SqlFragment;
  /** The trace IDs with a row of `from` where `where` holds that satisfies `cond` (NULL read as false). */
  rowSet(cond: RowCond, from: SqlFragment, where: SqlFragment): SqlFragment;
  /**
   * For a condition that is one annotation test (`annotation.k op v`, a leaf of its own), the
   * trace IDs with an annotation row of `from` (`TraceRows.annotations`) that satisfies it; else null.
   */
  annotationSet(cond: RowCond, from: SqlFragment): SqlFragment | null;
}

/** Every root-segment fact, as `root_<fact>`: what a trace row holds (`traceRowsOf`). */
export const ROOT_FACTS = Object.keys(ROOT_FACT_VALUE) as RootFact[];

/** A root-segment fact of a trace, aggregated over its spans (with `is_root`): the earliest root segment's value. */
export function rootFactAggregate(fact: RootFact, d: SqlDialect): SqlFragment {
  const c = new PlanCompiler(d, { start: 0, end: 0 });
  return sql`${d.argMinWhere(c.value(ROOT_FACT_VALUE[fact]), sql`start_time`, sql`is_root`)} AS ${ident(`root_${fact}`)}`;
}

/**
 * Compiles a filter plan into SQL for one dialect. Values are bound parameters only; columns and
 * aliases come from fixed tables (`columns.ts`) and the plan's leaf numbers.
 */
export function compilePlan(plan: FilterPlan, bounds: Bounds, d: SqlDialect): CompiledFilter {
  const c = new PlanCompiler(d, bounds);
  const aggregates: SqlFragment[] = [];
  for (const fact of plan.rootFacts) aggregates.push(rootFactAggregate(fact, d));
  plan.leaves.forEach((leaf, i) =>
    aggregates.push(sql`coalesce(${d.anyOf(sql`coalesce(${c.row(leaf)}, false)`)}, false) AS ${ident(`c${i}`)}`),
  );
  aggregates.push(sql`max(coalesce(end_time, start_time)) - min(start_time) AS trace_duration`);
  return {
    candidates: (window) => c.candidates(plan.candidates, window),
    aggregates,
    predicate: c.trace(plan.predicate),
    rowSet: (cond, from, where) => sql`SELECT trace_id FROM ${from} WHERE ${where} AND coalesce(${c.row(cond)}, false)`,
    annotationSet(cond, from) {
      const member = annotationMember(cond);
      return member && sql`SELECT trace_id FROM ${from} AS a WHERE key = ${member.key} AND ${c.typedMember(member.test)}`;
    },
  };
}

/** The annotation test a condition is, read as false where it is NULL (a span without the annotation). */
function annotationMember(cond: RowCond): Extract<RowCond, { kind: 'json' }> | null {
  if (cond.kind === 'orFalse') return annotationMember(cond.cond);
  return cond.kind === 'json' && cond.column === 'annotations' ? cond : null;
}

class PlanCompiler {
  constructor(
    private readonly d: SqlDialect,
    private readonly bounds: Bounds,
  ) {}

  value(v: RowValue): SqlFragment {
    switch (v.kind) {
      case 'field':
        return column(v.field);
      case 'duration':
        return sql`(end_time - start_time)`;
      case 'ok':
        return sql`(NOT error AND NOT fault AND NOT throttle)`;
      case 'route':
        return this.d.urlRoute(column(v.field));
      case 'text':
        return constant(v.value);
    }
  }

  /**
   * A JSON member's test on an annotation row's typed columns, as `jsonMember` tests the JSON: bare,
   * a string or number is there or a boolean is true; compared, the value of the literal's type.
   */
  typedMember(test: JsonTest): SqlFragment {
    if (test.kind === 'present') return sql`(str IS NOT NULL OR num IS NOT NULL OR coalesce(bool, false))`;
    const typed = typeof test.value === 'string' ? sql`str` : typeof test.value === 'number' ? sql`num` : sql`bool`;
    return sql`(${typed} IS NOT NULL AND ${this.compare(typed, test.op, test.value)})`;
  }

  /** A bare keyword (the value, or not NULL) or a comparison, applied to a value. */
  test(value: SqlFragment, t: Test): SqlFragment {
    switch (t.kind) {
      case 'true':
        return value;
      case 'present':
        return sql`(${value} IS NOT NULL)`;
      case 'compare':
        return this.compare(value, t.op, t.value);
    }
  }

  compare(value: SqlFragment, op: Op, lit: Literal): SqlFragment {
    switch (op) {
      case '=':
        return sql`(${value} = ${lit})`;
      case '!=':
        return sql`(${value} <> ${lit})`;
      case '<':
        return sql`(${value} < ${lit})`;
      case '<=':
        return sql`(${value} <= ${lit})`;
      case '>':
        return sql`(${value} > ${lit})`;
      case '>=':
        return sql`(${value} >= ${lit})`;
      case 'contains':
        return this.d.contains(value, sql`${lit}`);
      case 'beginswith':
        return this.d.startsWith(value, sql`${lit}`);
      case 'endswith':
        return this.d.endsWith(value, sql`${lit}`);
    }
  }

  row(c: RowCond): SqlFragment {
    switch (c.kind) {
      case 'and':
        return sql`(${this.row(c.left)} AND ${this.row(c.right)})`;
      case 'or':
        return sql`(${this.row(c.left)} OR ${this.row(c.right)})`;
      case 'not':
        return sql`(NOT ${this.row(c.operand)})`;
      case 'const':
        return c.value ? sql`true` : sql`false`;
      case 'test':
        return this.test(this.value(c.value), c.test);
      case 'isNull':
        return sql`${column(c.field)} IS NULL`;
      case 'notNull':
        return sql`${column(c.field)} IS NOT NULL`;
      case 'json':
        return this.d.jsonMember(column(c.column), c.key, c.test, (v) =>
          c.test.kind === 'compare' ? this.compare(v, c.test.op, c.test.value) : sql`true`,
        );
      case 'traceId':
        return sql`trace_id = ${c.id}`;
      case 'orFalse':
        return sql`coalesce(${this.row(c.cond)}, false)`;
    }
  }

  trace(c: TraceCond): SqlFragment {
    switch (c.kind) {
      case 'and':
        return sql`(${this.trace(c.left)} AND ${this.trace(c.right)})`;
      case 'or':
        return sql`(${this.trace(c.left)} OR ${this.trace(c.right)})`;
      case 'not':
        return sql`(NOT ${this.trace(c.operand)})`;
      case 'const':
        return c.value ? sql`true` : sql`false`;
      case 'leaf':
        return ident(`c${c.index}`);
      case 'leafTest':
        return sql`coalesce(${this.test(ident(`c${c.index}`), c.test)}, false)`;
      case 'root':
        return sql`coalesce(${this.test(ident(`root_${c.fact}`), c.test)}, false)`;
      case 'duration':
        return sql`coalesce(${this.test(sql`trace_duration`, c.test)}, false)`;
      case 'rootCause':
        return sql`(trace_id IN (${this.rootCause(c.query)}))`;
      case 'patterns':
        return sql`(${join(
          c.patterns.map((p) => sql`trace_id IN (${this.pattern(p)})`),
          sql` AND `,
        )})`;
      case 'traceId':
        return sql`(trace_id = ${c.id})`;
    }
  }

  candidates(c: Candidates, window: SqlFragment): SqlFragment {
    if (c.kind === 'all') return sql`true`;
    if (c.kind === 'row') return this.set({ kind: 'rows', cond: c.cond }, window);
    return this.set(c.set, window);
  }

  set(s: TraceSet, window: SqlFragment): SqlFragment {
    switch (s.kind) {
      case 'and':
        return sql`(${this.set(s.left, window)} AND ${this.set(s.right, window)})`;
      case 'or':
        return sql`(${this.set(s.left, window)} OR ${this.set(s.right, window)})`;
      case 'rows':
        return sql`trace_id IN (SELECT trace_id FROM spans WHERE ${window} AND ${this.row(s.cond)})`;
      case 'rootCause':
        return sql`trace_id IN (${this.rootCause(s.query)})`;
      case 'patterns':
        return join(
          s.patterns.map((p) => sql`trace_id IN (${this.pattern(p)})`),
          sql` AND `,
        );
      case 'all':
        return sql`true`;
    }
  }

  /** Trace IDs with a root cause of the category having an element (service, entity, exception) that matches. */
  rootCause(q: RootCauseQuery): SqlFragment {
    const where = sql`trace_time >= ${this.bounds.start} AND trace_time < ${this.bounds.end} AND category = ${q.category}`;
    return this.d.rootCauseTraces(q.level, where, (el) => this.element(q.cond, el));
  }

  element(c: ElementCond, el: ElementSql): SqlFragment {
    switch (c.kind) {
      case 'and':
        return sql`(${this.element(c.left, el)} AND ${this.element(c.right, el)})`;
      case 'or':
        return sql`(${this.element(c.left, el)} OR ${this.element(c.right, el)})`;
      case 'not':
        return sql`(NOT ${this.element(c.operand, el)})`;
      case 'test':
        return sql`coalesce(${this.test(el(c.value), c.test)}, false)`;
    }
  }

  /** Trace IDs with a root cause (any category) matching a `rootcause.json` pattern. */
  pattern(p: Pattern): SqlFragment {
    const j = this.d.jsonAt;
    const checks = p.map((check) => {
      switch (check.kind) {
        case 'length':
          return j.hasLength(check.path, check.length);
        case 'object':
          return j.isObject(check.path);
        case 'equals':
          return j.equals(check.path, check.value);
        case 'null':
          return j.isNull(check.path);
      }
    });
    return sql`SELECT trace_id FROM root_causes WHERE trace_time >= ${this.bounds.start} AND trace_time < ${this.bounds.end} AND ${join(checks, sql` AND `)}`;
  }
}
