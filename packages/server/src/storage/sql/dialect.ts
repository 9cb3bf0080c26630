import { ID_SEGMENT, SCHEME_AND_AUTHORITY, VERSION } from '@fluoro/core';
import type { JsonPath, NodeMatch, RootCauseLevel, Test } from '../../query/plan.js';
import { pattern, type Dialect, type SqlFragment } from './fragment.js';

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
  /** A URL's route, as core's `urlRoute` computes it (NULL for NULL). */
  urlRoute(url: SqlFragment): SqlFragment;
  /** Per group, the distinct nodes `(name, type, account)` of the rows where `where` holds, as one text (`NODES`). */
  nodeText(name: SqlFragment, type: SqlFragment, account: SqlFragment, where: SqlFragment): SqlFragment;
  /** Whether a node text (`nodeText`) holds a node with every part `match` gives (`nodePattern`). */
  hasNode(text: SqlFragment, match: NodeMatch): SqlFragment;
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

/**
 * A trace's nodes as one text, so that finding one is a substring test: each node is
 * `RS name US type US account RS` (ASCII record and unit separators, which are taken out of the
 * values; a missing value is `NUL_MARK`), distinct, in any order.
 */
export const NODES = { RS: '\x1e', US: '\x1f', NUL_MARK: '\x15' } as const;

/** A node's value as it is written in a node text. */
export function nodeValue(v: string): string {
  return v.split(NODES.RS).join('').split(NODES.US).join('');
}

/**
 * core's `urlRoute` patterns as SQL literals, for each dialect's `urlRoute`: cut the query and
 * fragment, then `authority`; a segment matching `id` and not `version` is `{id}`.
 */
export const ROUTE_PATTERNS = { authority: pattern(SCHEME_AND_AUTHORITY), id: pattern(ID_SEGMENT), version: pattern(VERSION) };

/**
 * What to look for in a node text: a substring when the given parts are adjacent (name, type and
 * account are in that order), else a regular expression over one node (name and account alone).
 * Null for an empty match: any node.
 */
export function nodePattern(m: NodeMatch): { substring: string } | { regex: string } | null {
  const { RS, US } = NODES;
  const name = m.name === undefined ? undefined : nodeValue(m.name);
  const type = m.type === undefined ? undefined : nodeValue(m.type);
  const account = m.accountId === undefined ? undefined : nodeValue(m.accountId);
  if (name === undefined && type === undefined && account === undefined) return null;
  if (name !== undefined && type === undefined && account !== undefined) {
    const quote = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return { regex: `${RS}${quote(name)}${US}[^${RS}]*${US}${quote(account)}${RS}` };
  }
  let text = '';
  text += name !== undefined ? `${RS}${name}${US}` : US;
  if (type !== undefined) text += `${type}${US}`;
  if (account !== undefined) text += `${account}${RS}`;
  // Type alone: between the two unit separators; name alone, or name and type: from the record separator.
  return { substring: name === undefined && type === undefined ? `${US}${account}${RS}` : text };
}
