import {
  decodeOtlpJson,
  parseFilter,
  parseSegmentDocument,
  spanBatchOf,
  type GraphEdge,
  type GraphNode,
  type ServiceGraph,
  type Span,
} from '@fluoro/core';
import { convertOtel } from '../../ingest/otel/convert.js';
import { Metrics } from '../../platform/telemetry/metrics.js';
import { silentLogger } from '../../platform/telemetry/logger.js';
import { TracePipeline } from '../../signals/traces/trace-pipeline.js';
import { planFilter } from '../../query/filter-planner.js';
import type { TraceFilter } from '../../query/plan.js';
import type { SpanKey, StorageBackend } from '../api/index.js';

/**
 * What every conformance case is given: a way to open a fresh, empty store of the backend under
 * test (a real instance of it). Each case file opens its own stores, so cases never see each
 * other's writes.
 */
export interface ConformanceTarget {
  readonly name: string;
  /** Keeps what it stores on disk (sizes in bytes, reopening). */
  readonly durable: boolean;
  open(): Promise<StorageBackend>;
  /** Opens the store a previous `open` wrote, after it was closed (durable backends). */
  reopen?(): Promise<StorageBackend>;
}

/** Writes fixture documents step by step as Fluoro does: through the trace pipeline (merge rules, linking). */
export class FixtureWriter {
  readonly #pipeline: TracePipeline;

  private constructor(store: StorageBackend) {
    this.#pipeline = new TracePipeline(
      store,
      { queueMaxSpans: 100_000, queueMaxBytes: 64 * 1024 * 1024, batchMaxSpans: 10_000, flushIntervalMs: 1 },
      silentLogger,
      new Metrics(),
    );
  }

  static async start(store: StorageBackend): Promise<FixtureWriter> {
    const w = new FixtureWriter(store);
    await w.#pipeline.start();
    return w;
  }

  /** Resolves once the documents' spans are durable and linked. */
  async write(documents: readonly unknown[]): Promise<Span[]> {
    const spans = documents.flatMap(toSpans);
    await this.#pipeline.submit(spanBatchOf(spans), 0);
    return spans;
  }

  /** An OTLP/JSON export request, converted as the OTLP receivers convert it; resolves once durable. */
  async writeOtlp(request: unknown): Promise<Span[]> {
    const decoded = decodeOtlpJson(JSON.stringify(request));
    if (!decoded.ok) throw new Error(`fixture request refused: ${decoded.message}`);
    const converted = convertOtel(decoded.resourceSpans, 'otlp', {});
    if (converted.rejectedSpans) throw new Error(`fixture spans refused: ${converted.refusals.map((r) => r.message).join('; ')}`);
    await this.#pipeline.submit(spanBatchOf(converted.spans), converted.bytes);
    return converted.spans;
  }

  stop(): Promise<void> {
    return this.#pipeline.drain();
  }
}

export function keys(spans: readonly Span[]): SpanKey[] {
  return spans.map((s) => ({ traceId: s.traceId, id: s.id }));
}

export function toSpans(doc: unknown): Span[] {
  const r = parseSegmentDocument(JSON.stringify(doc));
  if (!r.ok) throw new Error(`fixture document refused: ${r.rejection.message}`);
  return r.spans;
}

export function node(graph: ServiceGraph, name: string, type: string): GraphNode {
  const n = graph.nodes.find((x) => x.name === name && x.type === type);
  if (!n) throw new Error(`no node ${name} (${type}) in ${graph.nodes.map((x) => `${x.name}|${x.type}`).join(', ')}`);
  return n;
}

export function edge(graph: ServiceGraph, source: string, target: string): GraphEdge {
  const e = graph.edges.find((x) => x.source.name === source && x.target.name === target);
  if (!e) throw new Error(`no edge ${source} -> ${target}`);
  return e;
}

/** A filter expression as the trace query service hands it to a store: checked and planned. */
export function traceFilter(text: string): TraceFilter {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return { expr: parsed.filter, plan: planFilter(parsed.filter) };
}
