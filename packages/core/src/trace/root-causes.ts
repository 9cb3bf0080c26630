import type { NodeRef, TraceSpan } from '../model/span.js';
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
  readonly span: TraceSpan;
  readonly inferredOf: TraceSpan | null;
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
export function rootCauses(model: TraceModel<TraceSpan>): RootCauses {
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

function entityChildren(model: TraceModel<TraceSpan>, e: Entity): Entity[] {
  if (e.inferredOf) return [];
  const kids: Entity[] = model.children(e.span.id).map((span) => ({ span, inferredOf: null }));
  const s = e.span;
  if (s.downstream && s.owner && !model.answered.has(s.id)) kids.push({ span: s, inferredOf: s });
  return kids;
}

function flagged(model: TraceModel<TraceSpan>, root: TraceSpan, flag: (s: TraceSpan) => boolean): RootCause[] {
  const causes: RootCause[] = [];
  // Whether an entity has a flagged entity somewhere below it: computed bottom-up without
  // recursion (a trace may be thousands of levels deep), once per entity.
  const memo = new Map<string, boolean>();
  const key = (e: Entity): string => (e.inferredOf ? `${e.span.id}>` : e.span.id);
  const below = (start: Entity): boolean => {
    const stack: Array<{ e: Entity; kids: Entity[] | null }> = [{ e: start, kids: null }];
    const open = new Set<string>([key(start)]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.kids === null) {
        top.kids = entityChildren(model, top.e);
        for (const k of top.kids) {
          // A child already open is a cycle in bad data: it counts as nothing below.
          if (memo.has(key(k)) || open.has(key(k))) continue;
          open.add(key(k));
          stack.push({ e: k, kids: null });
        }
        continue;
      }
      memo.set(
        key(top.e),
        top.kids.some((k) => flag(k.span) || memo.get(key(k)) === true),
      );
      open.delete(key(top.e));
      stack.pop();
    }
    return memo.get(key(start))!;
  };
  // Depth first, in child order, without recursion; each entity keeps a link to its parent, so a
  // path is built only for a cause found.
  const pending: Step[] = [{ e: { span: root, inferredOf: null }, up: null }];
  for (let step = pending.pop(); step; step = pending.pop()) {
    const kids = entityChildren(model, step.e);
    // A faulted call to an inferred node has that node (same flags) as its faulted child: the
    // cause is then the inferred node itself, as X-Ray reports a failing DynamoDB table.
    if (flag(step.e.span) && !kids.some((k) => flag(k.span))) causes.push(toRootCause(model, pathTo(step), flag(root), null));
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i]!;
      if (flag(k.span) || below(k)) pending.push({ e: k, up: step });
    }
  }
  return causes;
}

interface Step {
  readonly e: Entity;
  readonly up: Step | null;
}

/**
 * The most entities a root-cause path holds. A longer path (a trace thousands of levels deep)
 * keeps its first entity, which names the service it starts in, and the entities closest to the cause.
 */
export const MAX_CAUSE_PATH = 256;

function pathTo(step: Step): Entity[] {
  const path: Entity[] = [];
  let top: Step = step;
  for (let at: Step | null = step; at; at = at.up) {
    if (path.length < MAX_CAUSE_PATH - 1) path.push(at.e);
    top = at;
  }
  if (top.e !== path[path.length - 1]) path.push(top.e);
  return path.reverse();
}

function slowest(model: TraceModel<TraceSpan>, root: TraceSpan): RootCause | null {
  const total = spanDuration(root);
  if (total === null) return null;
  const path: Entity[] = [{ span: root, inferredOf: null }];
  for (let cur = path[0]!; path.length < MAX_CAUSE_PATH;) {
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

function toRootCause(model: TraceModel<TraceSpan>, path: Entity[], clientImpacting: boolean, total: number | null): RootCause {
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
