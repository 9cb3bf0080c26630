import type { JsonPath, RootCauseLevel, Test } from '../../query/plan.js';
import type { Dialect, SqlFragment } from './fragment.js';

/** A root-cause element's value, as one dialect reads it inside its iteration over the causes. */
export type ElementSql = (
  value: 'index' | 'first' | 'last' | 'name' | 'type' | 'message' | 'inferred' | 'remote' | 'coverage',
) => SqlFragment;

/** A typed JSON member test: present (with any scalar type), or compared with a literal of its type. */
export type JsonTest = Test & { readonly kind: 'present' | 'compare' };

/**
 * What differs between the SQL engines Fluoro speaks: functions, JSON access, aggregates with
 * conditions, how root causes stored as JSON documents are searched. The queries themselves
 * (`plan-compiler.ts`, `traces.ts`, `graph.ts`) are written once against this interface; golden
 * files (`golden/<dialect>/*.sql`) show what each dialect makes of them.
 */
export interface SqlDialect extends Dialect {
  readonly name: 'duckdb' | 'clickhouse';
  contains(haystack: SqlFragment, needle: SqlFragment): SqlFragment;
  startsWith(text: SqlFragment, prefix: SqlFragment): SqlFragment;
  endsWith(text: SqlFragment, suffix: SqlFragment): SqlFragment;
  /**
   * A member of a JSON object column (annotations), present with a scalar of the literal's type
   * and satisfying the comparison; NULL or false when absent. `compare` turns the extracted value
   * and the literal into the comparison.
   */
  jsonMember(column: SqlFragment, key: string, test: JsonTest, compare: (value: SqlFragment) => SqlFragment): SqlFragment;
  /** `value` of the row with the least `order` among those where `where` holds (per group). */
  argMinWhere(value: SqlFragment, order: SqlFragment, where: SqlFragment): SqlFragment;
  /** True when `cond` holds for some row of the group. */
  anyOf(cond: SqlFragment): SqlFragment;
  /** Rows of the group where `cond` holds, as an integer. */
  countWhere(cond: SqlFragment): SqlFragment;
  /** Rows of the group, as an integer. */
  count(): SqlFragment;
  countDistinct(value: SqlFragment): SqlFragment;
  /** `name AS (body)`, computed once where the engine can be told to. */
  materialized(name: SqlFragment, body: SqlFragment): SqlFragment;
  /** The join keeping left rows without a match. */
  readonly antiJoin: SqlFragment;
  /** Appended to a query that LEFT JOINs and reads NULLs of rows without a match. */
  readonly nullJoins: SqlFragment;
  /**
   * `SELECT trace_id FROM root_causes WHERE <bounds, category> AND` some element of `level` in a
   * stored cause satisfies `cond` (compiled against the dialect's element values).
   */
  rootCauseTraces(level: RootCauseLevel, where: SqlFragment, cond: (element: ElementSql) => SqlFragment): SqlFragment;
  /** Checks on one stored cause (`root_causes.doc`) at a JSON path. */
  jsonAt: {
    isObject(path: JsonPath): SqlFragment;
    hasLength(path: JsonPath, length: number): SqlFragment;
    equals(path: JsonPath, value: string | number | boolean): SqlFragment;
    isNull(path: JsonPath): SqlFragment;
  };
}
