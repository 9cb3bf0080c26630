import type { CheckedFilter, Op } from '@fluoro/core';
import type { RowField, SpanField } from './fields.js';

/**
 * A filter expression in a store's terms, backend-neutral: conditions over span fields
 * (`fields.ts`), which joins they need, and how per-trace facts combine. `planFilter`
 * (`filter-planner.ts`) builds it from a checked expression; each SQL dialect turns it into SQL
 * (`storage/sql/plan-compiler.ts`). The plan keeps SQL's own logic visible where it matters:
 * conditions may be NULL where a field is missing, and `orFalse` says where the language's
 * two-valued logic needs NULL read as false (under NOT, and in per-trace facts).
 *
 * Evaluating a trace has three layers, as a store computes it:
 * - `candidates`: a necessary condition (on single spans, or as sets of trace IDs), so only traces
 *   that can match are aggregated; it may let through traces that do not match, never drop one.
 * - `leaves`, `rootFacts`: per trace, whether some span satisfies each leaf, and the root segment's facts.
 * - `predicate`: those combined, two-valued, so `!` means exactly "not" as in the evaluator.
 */
export interface FilterPlan {
  readonly candidates: Candidates;
  /** Row conditions evaluated existentially over a trace's spans; `predicate` names them by index. */
  readonly leaves: readonly RowCond[];
  /** The root-segment facts `predicate` reads. */
  readonly rootFacts: readonly RootFact[];
  readonly predicate: TraceCond;
  /** What evaluating the leaves and facts needs: span fields read, and the joins. */
  readonly needs: { readonly fields: readonly SpanField[]; readonly root: boolean; readonly callee: boolean };
  /**
   * Leaves that say only that the trace has a node of the service graph matching (`service(…)`
   * without a block; null: any node), or such a node with one of `outcomes` (`service(…) { fault }`,
   * `{ error OR fault }`: one of its segments, or an unanswered call to it, has the flag): a store
   * that keeps each trace's nodes (and those with each outcome) answers them from those instead of
   * its spans.
   */
  readonly nodeLeaves: ReadonlyArray<{
    readonly leaf: number;
    readonly match: NodeMatch | null;
    readonly outcomes?: readonly NodeOutcome[];
  }>;
}

/** The flags a node can have in a trace, as `service(…) { fault }` asks. */
export type NodeOutcome = 'fault' | 'error' | 'throttle';

export const NODE_OUTCOMES: readonly NodeOutcome[] = ['fault', 'error', 'throttle'];

/** A value on one span row. */
export type RowValue =
  | { readonly kind: 'field'; readonly field: RowField }
  /** end − start, seconds (NULL while in progress). */
  | { readonly kind: 'duration' }
  /** Neither error, fault nor throttle. */
  | { readonly kind: 'ok' }
  /** A URL field's route (core's `urlRoute`: the path, IDs written `{id}`). */
  | { readonly kind: 'route'; readonly field: RowField }
  | { readonly kind: 'text'; readonly value: string };

export type Literal = string | number | boolean;

/** A bare keyword (`true`: the value itself, a boolean; `present`: not NULL) or a comparison. */
export type Test =
  { readonly kind: 'true' } | { readonly kind: 'present' } | { readonly kind: 'compare'; readonly op: Op; readonly value: Literal };

/** Span fields holding a JSON object of typed values: X-Ray annotations, OpenTelemetry attributes. */
export type JsonColumn = 'annotations' | 'attributes';

/** A condition on one span row. NULL where a field it reads is missing, unless wrapped in `orFalse`. */
export type RowCond =
  | { readonly kind: 'and' | 'or'; readonly left: RowCond; readonly right: RowCond }
  | { readonly kind: 'not'; readonly operand: RowCond }
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'test'; readonly value: RowValue; readonly test: Test }
  | { readonly kind: 'isNull' | 'notNull'; readonly field: RowField }
  /** A typed member of a JSON object column: present as a string, number or boolean (of the literal's type), and the test. */
  | {
      readonly kind: 'json';
      readonly column: JsonColumn;
      readonly key: string;
      readonly test: Test & { readonly kind: 'present' | 'compare' };
    }
  | { readonly kind: 'traceId'; readonly id: string }
  /** NULL read as false: two-valued logic. */
  | { readonly kind: 'orFalse'; readonly cond: RowCond };

/** Facts of a trace's root segment (the earliest one): the `RowValue` each is read from. */
export type RootFact = 'ok' | 'error' | 'fault' | 'rt' | 'status' | 'url' | 'route' | 'method' | 'useragent' | 'clientip';

/** A condition on one whole trace. Two-valued. */
export type TraceCond =
  | { readonly kind: 'and' | 'or'; readonly left: TraceCond; readonly right: TraceCond }
  | { readonly kind: 'not'; readonly operand: TraceCond }
  | { readonly kind: 'const'; readonly value: boolean }
  /** Some span of the trace satisfies `leaves[index]`. */
  | { readonly kind: 'leaf'; readonly index: number }
  /** A leaf, tested as a boolean value (`throttle = false`). */
  | { readonly kind: 'leafTest'; readonly index: number; readonly test: Test }
  | { readonly kind: 'root'; readonly fact: RootFact; readonly test: Test }
  /** Earliest start to latest end of the trace. */
  | { readonly kind: 'duration'; readonly test: Test }
  | { readonly kind: 'rootCause'; readonly query: RootCauseQuery }
  | { readonly kind: 'patterns'; readonly patterns: readonly Pattern[] }
  | { readonly kind: 'traceId'; readonly id: string };

export type RootCauseLevel = 'service' | 'entity' | 'exception';

/** Traces that have a root cause of a category with an element of `level` satisfying `cond`. */
export interface RootCauseQuery {
  readonly category: 'fault' | 'error' | 'responsetime';
  readonly level: RootCauseLevel;
  readonly cond: ElementCond;
}

/** A value of one element of a root cause (a service of its path, an entity, an exception). */
export type ElementValue = 'index' | 'first' | 'last' | 'name' | 'type' | 'message' | 'inferred' | 'remote' | 'coverage';

export type ElementCond =
  | { readonly kind: 'and' | 'or'; readonly left: ElementCond; readonly right: ElementCond }
  | { readonly kind: 'not'; readonly operand: ElementCond }
  /** Two-valued: a missing value satisfies nothing. */
  | { readonly kind: 'test'; readonly value: ElementValue; readonly test: Test };

/** A path into a root cause's JSON (API shape): member names and 0-based indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/**
 * A `rootcause.json` pattern as checks on one root cause's document: every value the pattern
 * gives is equal at its path, every list has the pattern's length, every object is an object.
 */
export type Pattern = ReadonlyArray<
  | { readonly kind: 'length'; readonly path: JsonPath; readonly length: number }
  | { readonly kind: 'object'; readonly path: JsonPath }
  | { readonly kind: 'equals'; readonly path: JsonPath; readonly value: string | number | boolean }
  | { readonly kind: 'null'; readonly path: JsonPath }
>;

/** A trace can only match if: anything (`all`), it has a span with `cond`, or `set` holds for its ID. */
export type Candidates =
  { readonly kind: 'all' } | { readonly kind: 'row'; readonly cond: RowCond } | { readonly kind: 'set'; readonly set: TraceSet };

/** Sets of trace IDs, within the query's window. */
export type TraceSet =
  | { readonly kind: 'and' | 'or'; readonly left: TraceSet; readonly right: TraceSet }
  /** Traces with a span satisfying `cond`. */
  | { readonly kind: 'rows'; readonly cond: RowCond }
  | { readonly kind: 'rootCause'; readonly query: RootCauseQuery }
  | { readonly kind: 'patterns'; readonly patterns: readonly Pattern[] }
  | { readonly kind: 'all' };

/** A checked filter with its plan: what a trace store is handed (the evaluator reads `expr`). */
export interface TraceFilter {
  readonly expr: CheckedFilter;
  readonly plan: FilterPlan;
}

/** A node of the service graph as an entity selector names it (each given part must match). */
export interface NodeMatch {
  readonly name?: string;
  readonly type?: string;
  readonly accountId?: string;
}

/**
 * An entity selector (GetTimeSeriesServiceStatistics) in a store's terms: which graph events it
 * picks. `client`: every request entering the system (no selector). `service`: a node's own
 * events (a service's segments, or the calls to an inferred node). `edge`: calls from one node to
 * another. Alternatives are ORed.
 */
export type SelectorPlan =
  | { readonly kind: 'client' }
  | { readonly kind: 'service'; readonly nodes: readonly NodeMatch[] }
  | { readonly kind: 'edge'; readonly edges: ReadonlyArray<{ readonly from: NodeMatch; readonly to: NodeMatch }> };
