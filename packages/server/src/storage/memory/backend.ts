import type { Span } from '@fluoro/core';
import type { Capabilities, RecordStore, StorageBackend } from '../api/index.js';
import { groupTraces, operationStats, suggestions, tracePoints, traceStats } from './analytics.js';
import { serviceGraph, serviceTimeSeries } from './graph.js';
import { MemoryRootCauses } from './root-causes.js';
import { withDocumentResources } from '@fluoro/core';
import { copySpan, MemoryIngestState, SpanTable } from './span-table.js';
import { traceSummaries } from './summaries.js';
import { byText } from './text-order.js';

const CAPABILITIES: Capabilities = Object.freeze({ filters: true, rootCauseFilters: true, entitySelectors: true, analytics: true });

/**
 * The reference backend: every storage contract in plain TypeScript over core's trace model
 * (`buildTraceModel`, `summarizeTrace`, `evaluate`), for tests and development. It answers what
 * the DuckDB backend answers on every conformance case, scanning all it holds on every read;
 * nothing survives the process.
 */
export async function openMemoryStore(): Promise<StorageBackend> {
  const table = new SpanTable();
  const rootCauses = new MemoryRootCauses();
  const records = new MemoryRecords();
  let closed = false;
  return {
    kind: 'memory',
    capabilities: CAPABILITIES,
    spans: table,
    traces: {
      async getTraces(traceIds) {
        const out = new Map<string, Span[]>();
        for (const id of traceIds) {
          const spans = table.trace(id);
          if (spans) out.set(id, withDocumentResources(spans.map(copySpan)));
        }
        return out;
      },
      async findTraceSummaries(q) {
        return traceSummaries(table, rootCauses, q);
      },
    },
    graph: {
      async getServiceGraph(scope) {
        return serviceGraph(table, scope);
      },
      async getServiceTimeSeries(range, period, selector) {
        return serviceTimeSeries(table, range, period, selector);
      },
    },
    analytics: {
      async groupTraces(q) {
        return groupTraces(table, rootCauses, q);
      },
      async traceStats(q) {
        return traceStats(table, rootCauses, q);
      },
      async tracePoints(q) {
        return tracePoints(table, rootCauses, q);
      },
      async suggestions(range) {
        return suggestions(table, range);
      },
      async operationStats(q) {
        return operationStats(table, q);
      },
    },
    records,
    rootCauses,
    ingestState: new MemoryIngestState(table),
    retention: {
      async oldest() {
        return table.oldest();
      },
      async deleteBefore(before) {
        rootCauses.deleteBefore(before);
        return table.deleteBefore(before);
      },
    },
    async size() {
      return { bytes: 0, usedBytes: 0, spans: table.spanCount };
    },
    async close() {
      if (closed) return;
      closed = true;
      table.clear();
      rootCauses.clear();
      records.clear();
    },
  };
}

/** Named documents by kind and name; lists ordered by name as DuckDB orders text. */
class MemoryRecords implements RecordStore {
  readonly #kinds = new Map<string, Map<string, string>>();

  async list(kind: string): Promise<Array<{ name: string; doc: string }>> {
    const docs = this.#kinds.get(kind);
    if (!docs) return [];
    return [...docs].sort((a, b) => byText(a[0], b[0])).map(([name, doc]) => ({ name, doc }));
  }

  async put(kind: string, name: string, doc: string): Promise<void> {
    let docs = this.#kinds.get(kind);
    if (!docs) this.#kinds.set(kind, (docs = new Map()));
    docs.set(name, doc);
  }

  async delete(kind: string, name: string): Promise<boolean> {
    return this.#kinds.get(kind)?.delete(name) ?? false;
  }

  clear(): void {
    this.#kinds.clear();
  }
}
