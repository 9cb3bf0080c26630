import type { Operation } from '@fluoro/contracts';
import type { TimelineModel, TimelineSpan } from '../trace/timeline-model';

/**
 * What a span of the timeline is, as the server's statistics know it: an operation is the
 * service that did the work (the name of the span's segment) and the span's name, as
 * `POST /api/v1/traces/operations` groups spans.
 */

export const operationKey = (o: Operation): string => `${o.service}\u0000${o.name}`;

/**
 * The service a span belongs to: its segment's name; a segment or an inferred segment's own.
 * Null for a subsegment whose segment is not in the trace (the store has no service for it either).
 */
export function serviceOf(span: TimelineSpan, spans: ReadonlyMap<string, TimelineSpan>): string | null {
  let s = span;
  // A subsegment's parent is the span it is nested in (or, sent on its own, the one it names).
  for (let depth = 0; s.kind === 'subsegment' && depth < 1000; depth++) {
    const parent = s.parentId ? spans.get(s.parentId) : undefined;
    if (!parent) break;
    s = parent;
  }
  return s.kind === 'subsegment' ? null : s.name;
}

/**
 * The operation whose population a span is compared with. An inferred segment stands for the
 * call its caller made (same times, no spans of its own in the store): the call's operation.
 * Null for an inferred segment whose call is not in the trace, and for a span without a service.
 */
export function operationOf(span: TimelineSpan, spans: ReadonlyMap<string, TimelineSpan>): Operation | null {
  if (span.kind === 'inferred') {
    const call = span.parentId ? spans.get(span.parentId) : undefined;
    return call && call.kind !== 'inferred' ? operationOf(call, spans) : null;
  }
  const service = serviceOf(span, spans);
  return service === null ? null : { service, name: span.name };
}

/** Every span's operation (span ID → operation), and the distinct operations in order of first use. */
export function traceOperations(model: TimelineModel): { bySpan: Map<string, Operation>; distinct: Operation[] } {
  const bySpan = new Map<string, Operation>();
  const distinct = new Map<string, Operation>();
  for (const s of model.spans.values()) {
    const op = operationOf(s, model.spans);
    if (!op) continue;
    bySpan.set(s.id, op);
    const key = operationKey(op);
    if (!distinct.has(key)) distinct.set(key, op);
  }
  return { bySpan, distinct: [...distinct.values()] };
}
