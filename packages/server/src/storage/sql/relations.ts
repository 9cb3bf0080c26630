import type { SqlDialect } from './dialect.js';
import { sql, type SqlFragment } from './fragment.js';

/**
 * Relations shared by every query that derives X-Ray's graph semantics from spans, so the
 * service graph, trace summaries and (later) filters agree on them. Each takes the name of a CTE
 * holding the spans in scope (with the `spans` columns).
 */

/** IDs of the spans a segment answered: the caller side of every instrumented call. */
export function answeredCalls(scope: SqlFragment): SqlFragment {
  return sql`(SELECT DISTINCT trace_id, parent_id AS id FROM ${scope} WHERE is_segment AND parent_id IS NOT NULL)`;
}

/**
 * Calls to a downstream node that no segment answered, made by a known service: each stands for
 * an inferred segment and node (spec §1.12).
 */
export function inferredCalls(scope: SqlFragment, d: SqlDialect): SqlFragment {
  return sql`(SELECT x.* FROM ${scope} AS x ${d.antiJoin} ${answeredCalls(scope)} AS a ON a.trace_id = x.trace_id AND a.id = x.id
              WHERE x.downstream_name IS NOT NULL AND x.service IS NOT NULL)`;
}

/** Segments whose parent is not in scope: where requests entered the system. */
export function rootSegments(scope: SqlFragment, d: SqlDialect): SqlFragment {
  return sql`(SELECT seg.* FROM ${scope} AS seg ${d.antiJoin} ${scope} AS p ON p.trace_id = seg.trace_id AND p.id = seg.parent_id
              WHERE seg.is_segment)`;
}
