import {
  buildTraceModel,
  evaluate,
  parseFilter,
  parseSegmentDocument,
  rootCauses,
  toXrayTraceId,
  type Span,
  type TraceModel,
} from '@fluoro/core';

/**
 * The filter language's own in-memory evaluator over the documents a test sent: which traces an
 * expression selects, independently of the store and of the console.
 */
export class Oracle {
  private readonly spans = new Map<string, Map<string, Span>>();

  add(documents: ReadonlyArray<Record<string, unknown>>): void {
    for (const d of documents) {
      const r = parseSegmentDocument(JSON.stringify(d));
      if (!r.ok) throw new Error(`fixture document refused: ${r.rejection.message}`);
      for (const s of r.spans) {
        const byId = this.spans.get(s.traceId) ?? new Map<string, Span>();
        // A later document with the same ID replaces the earlier one (in-progress → completed).
        byId.set(s.id, s);
        this.spans.set(s.traceId, byId);
      }
    }
  }

  /** X-Ray trace IDs the expression selects, sorted. */
  select(expression: string): string[] {
    const parsed = parseFilter(expression);
    if (!parsed.ok) throw new Error(parsed.message);
    const out: string[] = [];
    for (const [id, spans] of this.spans) {
      const model: TraceModel = buildTraceModel([...spans.values()]);
      if (evaluate(parsed.filter, model, rootCauses(model))) out.push(toXrayTraceId(id));
    }
    return out.sort();
  }
}
