import { spanAt, type Span, type SpanOwner } from '@fluoro/core';
import type { IngestStateReader, SpanKey, SpanWrite, TraceWriter } from '../api/index.js';

/**
 * Every stored span, by trace ID and span ID. Writes apply synchronously inside `write`, so they
 * commit in call order and a superseding write sees whatever the one before it stored; nothing is
 * ever durable (`kill -9` loses everything), which is what a memory store is for.
 */
export class SpanTable implements TraceWriter {
  readonly #traces = new Map<string, Map<string, Span>>();
  #count = 0;

  /** Delete-then-append, as DuckDB's one transaction does: rows of this write are never deleted by it. */
  async write({ rows, supersedes }: SpanWrite): Promise<void> {
    // As DuckDB's writer: a write without rows is empty, even when it names keys to supersede.
    if (rows.every((r) => r.batch.length === 0)) return;
    this.#supersede(supersedes);
    for (const { batch, keep } of rows) {
      for (let i = 0; i < batch.length; i++) {
        if (keep && !keep[i]) continue;
        const span = spanAt(batch, i);
        let trace = this.#traces.get(span.traceId);
        if (!trace) this.#traces.set(span.traceId, (trace = new Map()));
        // A key written again without being superseded breaks the writer's contract; keeping one
        // version still honours "never a span twice".
        if (!trace.has(span.id)) this.#count++;
        trace.set(span.id, span);
      }
    }
  }

  /** A superseded span goes, and so does every span that arrived inside the document rooted at it. */
  #supersede(keys: readonly SpanKey[]): void {
    const byTrace = new Map<string, Set<string>>();
    for (const k of keys) {
      const ids = byTrace.get(k.traceId);
      if (ids) ids.add(k.id);
      else byTrace.set(k.traceId, new Set([k.id]));
    }
    for (const [traceId, ids] of byTrace) {
      const trace = this.#traces.get(traceId);
      if (!trace) continue;
      for (const s of [...trace.values()]) {
        if (ids.has(s.id) || ids.has(s.docId)) {
          trace.delete(s.id);
          this.#count--;
        }
      }
      if (trace.size === 0) this.#traces.delete(traceId);
    }
  }

  /** The earliest filing time of a stored span; null when empty. */
  oldest(): number | null {
    let oldest: number | null = null;
    for (const trace of this.#traces.values())
      for (const s of trace.values()) if (oldest === null || s.traceTime < oldest) oldest = s.traceTime;
    return oldest;
  }

  /** Deletes the spans filed before `before`; returns how many. */
  deleteBefore(before: number): number {
    let deleted = 0;
    for (const [traceId, trace] of this.#traces) {
      for (const s of [...trace.values()]) {
        if (s.traceTime < before) {
          trace.delete(s.id);
          deleted++;
        }
      }
      if (trace.size === 0) this.#traces.delete(traceId);
    }
    this.#count -= deleted;
    return deleted;
  }

  get spanCount(): number {
    return this.#count;
  }

  /** The stored spans of a trace (the table's own objects: callers outside the store get copies). */
  trace(traceId: string): readonly Span[] | undefined {
    const trace = this.#traces.get(traceId);
    return trace ? [...trace.values()] : undefined;
  }

  /** Every trace with its spans, in no particular order (the store's own objects). */
  *traces(): Iterable<readonly [traceId: string, spans: readonly Span[]]> {
    for (const [traceId, trace] of this.#traces) yield [traceId, [...trace.values()]];
  }

  span(key: SpanKey): Span | undefined {
    return this.#traces.get(key.traceId)?.get(key.id);
  }

  clear(): void {
    this.#traces.clear();
    this.#count = 0;
  }
}

/** A span the caller may keep and change: what a reader returns belongs to the caller. */
export function copySpan(s: Span): Span {
  return structuredClone(s);
}

/** What the trace pipeline reads back after a restart, by scanning the table. */
export class MemoryIngestState implements IngestStateReader {
  constructor(private readonly table: SpanTable) {}

  async unlinkedSpans(since: number): Promise<Span[]> {
    return this.#spans((s) => s.owner === null && s.traceTime >= since).map(copySpan);
  }

  async recentTraces(since: number): Promise<string[]> {
    const out: string[] = [];
    for (const [traceId, spans] of this.table.traces()) if (spans.some((s) => s.traceTime >= since)) out.push(traceId);
    return out;
  }

  async inProgressKeys(since: number): Promise<SpanKey[]> {
    return this.#spans((s) => s.inProgress && s.traceTime >= since).map((s) => ({ traceId: s.traceId, id: s.id }));
  }

  async owners(keys: readonly SpanKey[]): Promise<Map<string, SpanOwner>> {
    const out = new Map<string, SpanOwner>();
    for (const k of keys) {
      const owner = this.table.span(k)?.owner;
      if (owner) out.set(k.traceId + k.id, { ...owner });
    }
    return out;
  }

  #spans(keep: (s: Span) => boolean): Span[] {
    const out: Span[] = [];
    for (const [, spans] of this.table.traces()) for (const s of spans) if (keep(s)) out.push(s);
    return out;
  }
}
