/**
 * The filter language's syntax tree: immutable tagged unions, each node with the source range it
 * came from. Behaviour (checking, printing, evaluating, compiling to SQL) lives in other modules.
 */

export interface Loc {
  /** Offsets into the expression: [start, end). Built nodes (build.ts) have SYNTHETIC, [0, 0). */
  readonly start: number;
  readonly end: number;
  /**
   * Only on the root of a tree that written() made of a user's text: that text (trimmed), which
   * the offsets of the whole tree index. print() with `verbatim` prints the tree as this text.
   */
  readonly source?: string;
}

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'beginswith' | 'endswith';

export type Literal =
  | { readonly type: 'string'; readonly value: string; readonly loc: Loc }
  | { readonly type: 'number'; readonly value: number; readonly loc: Loc }
  | { readonly type: 'boolean'; readonly value: boolean; readonly loc: Loc };

/**
 * What a comparison looks at: a keyword (lower case), an X-Ray annotation by key, or an
 * OpenTelemetry span attribute by key (`attribute.http.route`, `attribute[key]`).
 */
export type Field =
  | { readonly kind: 'keyword'; readonly name: string; readonly loc: Loc }
  | { readonly kind: 'annotation'; readonly key: string; readonly loc: Loc }
  | { readonly kind: 'attribute'; readonly key: string; readonly loc: Loc };

/** A node of the service graph, by name or by id(name:, type:, account.id:). */
export type Selector =
  | { readonly kind: 'name'; readonly name: string; readonly loc: Loc }
  | { readonly kind: 'id'; readonly name?: string; readonly type?: string; readonly accountId?: string; readonly loc: Loc };

export type RootCauseCategory = 'fault' | 'error' | 'responsetime';
export type RootCauseLevel = 'service' | 'entity' | 'exception';

export type Expr =
  | { readonly kind: 'and'; readonly left: Expr; readonly right: Expr; readonly loc: Loc }
  | { readonly kind: 'or'; readonly left: Expr; readonly right: Expr; readonly loc: Loc }
  | { readonly kind: 'not'; readonly operand: Expr; readonly loc: Loc }
  | { readonly kind: 'compare'; readonly field: Field; readonly op: Op; readonly value: Literal; readonly loc: Loc }
  /** A bare keyword: true when a boolean keyword holds, or when a field is present. */
  | { readonly kind: 'present'; readonly field: Field; readonly loc: Loc }
  | { readonly kind: 'service'; readonly selector: Selector | null; readonly filter: Expr | null; readonly loc: Loc }
  | { readonly kind: 'edge'; readonly from: Selector; readonly to: Selector; readonly filter: Expr | null; readonly loc: Loc }
  | {
      readonly kind: 'rootcause';
      readonly category: RootCauseCategory;
      readonly level: RootCauseLevel;
      readonly filter: Expr;
      readonly loc: Loc;
    }
  | { readonly kind: 'rootcausejson'; readonly patterns: readonly unknown[]; readonly loc: Loc }
  | { readonly kind: 'group'; readonly field: 'name' | 'arn'; readonly op: '=' | '!='; readonly value: string; readonly loc: Loc }
  /** A bare trace ID (either form): that trace. */
  | { readonly kind: 'traceid'; readonly id: string; readonly loc: Loc };

export type ExprKind = Expr['kind'];

/** The same tree without source ranges, for comparing trees parsed from different texts. */
export function withoutLocations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLocations);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'loc') out[k] = withoutLocations(v);
  return out;
}
