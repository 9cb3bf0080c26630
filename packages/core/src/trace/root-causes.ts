import type { NodeRef, Span } from '../model/span.js';
import { spanDuration, type TraceModel } from './model.js';

export interface RootCauseException {
  readonly name: string;
  readonly message: string;
}

export interface RootCauseEntity {
  readonly name: string;
  /** For fault and error root causes. */
  readonly exceptions: readonly RootCauseException[];
  /** The entity is a call to another node. */
  readonly remote: boolean;
  /** For response-time root causes: the entity's share of the root segment's response time. */
  readonly coverage: number | null;
}

export interface RootCauseService {
  readonly name: string;
  readonly type: string;
  readonly accountId: string | null;
  readonly inferred: boolean;
  readonly entityPath: readonly RootCauseEntity[];
}

export interface RootCause {
  /** From the service the request entered to the service where the cause is. */
  readonly services: readonly RootCauseService[];
  /** The root segment itself shows the problem: the client saw it. */
  readonly clientImpacting: boolean;
}

export interface RootCauses {
  readonly fault: readonly RootCause[];
  readonly error: readonly RootCause[];
  readonly responseTime: readonly RootCause[];
}

/** A step of a path: a span, or the inferred segment of an unanswered call (`inferredOf`). */
interface Entity {
  readonly span: Span;
  readonly inferredOf: Span | null;
}

/**
 * X-Ray's root-cause analysis, as Fluoro defines it (X-Ray does not document its algorithm; the
 * choices are in docs/filter-expressions.md):
 *
 * - The entities of a trace form a tree: each root segment, its subsegments, the segments that
 *   answer a call, and the inferred segment of a call no segment answered.
 * - **Fault** (and **error**) root causes: every faulted (errored) entity none of whose children
 *   is faulted (errored) is a cause. Its path runs from the root segment to it, split into the
 *   services it crosses, each with the entities walked inside it. Identical paths count once.
 * - **Response-time** root cause: from the root segment, step into the longest child as long as
 *   it takes at least half of its parent's time. Each entity's coverage is its share of the root
 *   segment's response time.
 */
export function rootCauses(model: TraceModel): RootCauses {
  const fault: RootCause[] = [];
  const error: RootCause[] = [];
  const responseTime: RootCause[] = [];
  for (const root of model.roots) {
    fault.push(...flagged(model, root, (s) => s.fault));
    error.push(...flagged(model, root, (s) => s.error));
    const rt = slowest(model, root);
    if (rt) responseTime.push(rt);
  }
  return { fault: unique(fault), error: unique(error), responseTime: unique(responseTime) };
}

function entityChildren(model: TraceModel, e: Entity): Entity[] {
  if (e.inferredOf) return [];
  const kids: Entity[] = model.children(e.span.id).map((span) => ({ span, inferredOf: null }));
  const s = e.span;
  if (s.downstream && s.owner && !model.answered.has(s.id)) kids.push({ span: s, inferredOf: s });
  return kids;
}

function flagged(model: TraceModel, root: Span, flag: (s: Span) => boolean): RootCause[] {
  const causes: RootCause[] = [];
  const memo = new Map<Entity, boolean>();
  const below = (e: Entity): boolean => {
    let v = memo.get(e);
    if (v === undefined) {
      v = entityChildren(model, e).some((k) => flag(k.span) || below(k));
      memo.set(e, v);
    }
    return v;
  };
  const walk = (e: Entity, path: Entity[], depth: number): void => {
    if (depth > 256) return;
    const here = [...path, e];
    const kids = entityChildren(model, e);
    // A faulted call to an inferred node has that node (same flags) as its faulted child: the
    // cause is then the inferred node itself, as X-Ray reports a failing DynamoDB table.
    if (flag(e.span) && !kids.some((k) => flag(k.span))) causes.push(toRootCause(model, here, flag(root), null));
    for (const k of kids) if (flag(k.span) || below(k)) walk(k, here, depth + 1);
  };
  walk({ span: root, inferredOf: null }, [], 0);
  return causes;
}

function slowest(model: TraceModel, root: Span): RootCause | null {
  const total = spanDuration(root);
  if (total === null) return null;
  const path: Entity[] = [{ span: root, inferredOf: null }];
  for (let cur = path[0]!; path.length < 256;) {
    let best: Entity | null = null;
    let bestDuration = -1;
    for (const k of entityChildren(model, cur)) {
      const d = spanDuration(k.span);
      if (d !== null && (d > bestDuration || (d === bestDuration && best !== null && k.span.startTime < best.span.startTime))) {
        best = k;
        bestDuration = d;
      }
    }
    const curDuration = spanDuration(cur.span)!;
    if (!best || bestDuration < curDuration / 2) break;
    path.push(best);
    cur = best;
  }
  return toRootCause(model, path, true, total);
}

function nodeOf(e: Entity): NodeRef & { accountId: string | null; inferred: boolean } {
  if (e.inferredOf) return { name: e.inferredOf.downstream!.name, type: e.inferredOf.downstream!.type, accountId: null, inferred: true };
  const owner = e.span.owner;
  return {
    name: owner?.service ?? e.span.name,
    type: owner?.serviceType ?? 'service',
    accountId: e.span.kind === 'segment' ? e.span.accountId : null,
    inferred: false,
  };
}

function toRootCause(model: TraceModel, path: Entity[], clientImpacting: boolean, total: number | null): RootCause {
  const services: Array<{ node: ReturnType<typeof nodeOf>; entities: RootCauseEntity[] }> = [];
  for (const e of path) {
    // A new service starts at every segment and at every inferred segment.
    if (services.length === 0 || e.inferredOf || e.span.kind === 'segment') services.push({ node: nodeOf(e), entities: [] });
    const d = spanDuration(e.span);
    services[services.length - 1]!.entities.push({
      name: e.inferredOf ? e.inferredOf.downstream!.name : e.span.name,
      exceptions: e.inferredOf ? [] : e.span.exceptions.map((x) => ({ name: x.name, message: x.message })),
      remote: !e.inferredOf && (e.span.downstream !== null || model.answered.has(e.span.id)),
      coverage: total === null ? null : total > 0 ? (d ?? 0) / total : 1,
    });
  }
  return {
    services: services.map(({ node, entities }) => ({
      name: node.name,
      type: node.type,
      accountId: node.accountId,
      inferred: node.inferred,
      entityPath: entities,
    })),
    clientImpacting,
  };
}

function unique(causes: RootCause[]): RootCause[] {
  if (causes.length < 2) return causes;
  const seen = new Set<string>();
  return causes.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
