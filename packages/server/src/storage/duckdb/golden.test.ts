import { readFileSync } from 'node:fs';
import { buildTraceModel, evaluate, parseTraceId, rootCauses, type TraceModel } from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterTraces } from '../../../../../fixtures/index.js';
import { analyzeTrace } from '../../derived/root-causes/analysis.js';
import { FixtureWriter } from '../conformance/harness.js';
import { GOLDEN_CASES, goldenFilter } from '../sql/golden.cases.js';
import { openDuckDb, type DuckDbStore } from './backend.js';

/**
 * The DuckDB golden files are not only read: each is executed, as written, against a store
 * holding fixtures/traces/filters.json. Filter files must select exactly the traces the in-memory
 * evaluator selects; the others must run and return what they are for.
 */
const GOLDEN = new URL('../sql/golden/duckdb/', import.meta.url);

function golden(name: string): { text: string; params: Array<string | number | boolean | null> } {
  const text = readFileSync(new URL(`${name}.sql`, GOLDEN), 'utf8');
  const line = text.split('\n').find((l) => l.startsWith('-- params: '));
  if (!line) throw new Error(`${name}.sql has no params line`);
  return { text, params: JSON.parse(line.slice('-- params: '.length)) as Array<string | number | boolean | null> };
}

describe('DuckDB golden files, executed', () => {
  const fx = filterTraces();
  let store: DuckDbStore;
  const models = new Map<string, TraceModel>();

  beforeAll(async () => {
    store = await openDuckDb({ path: ':memory:', threads: 1, memoryLimit: '', readConnections: 1, checkpointThreshold: '16MB' });
    const writer = await FixtureWriter.start(store);
    const ids = new Set<string>();
    for (const step of fx.steps) for (const s of await writer.write(step.documents)) ids.add(s.traceId);
    for (const request of fx.otlp) for (const s of await writer.writeOtlp(request)) ids.add(s.traceId);
    await writer.stop();
    const stored = await store.traces.getTraces([...ids]);
    for (const [id, spans] of stored) models.set(id, buildTraceModel(spans));
    await store.rootCauses.write([...stored].map(([id, spans]) => analyzeTrace(id, spans, false)));
  });
  afterAll(async () => {
    await store?.close();
  });

  const filterCases = GOLDEN_CASES.filter((c) => c.filter !== undefined);
  const selected = new Map<string, number>();
  it.each(filterCases.map((c) => [c.name, c.filter!] as const))('%s selects what the evaluator selects', async (name, filter) => {
    const { text, params } = golden(name);
    const rows: Array<Record<string, unknown>> = await store.run(text, params);
    const f = goldenFilter(filter);
    const expected = [...models].filter(([, m]) => evaluate(f.expr, m, rootCauses(m))).map(([id]) => id);
    expect(rows.map((r) => r['trace_id']).sort()).toEqual(expected.sort());
    selected.set(name, expected.length);
  });

  it('has filter cases that select some traces and not others (else agreeing proves little)', () => {
    const counts = [...selected.values()];
    expect(counts.filter((n) => n > 0 && n < models.size).length).toBeGreaterThanOrEqual(filterCases.length / 2);
  });

  it.each(['', 'rows-'])('pages every trace of the window, newest first, and counts them (%s)', async (prefix) => {
    const page = await store.run(golden(`${prefix}summaries-trace-id`).text, golden(`${prefix}summaries-trace-id`).params);
    expect(page.map((r) => r['trace_id'])).toEqual(
      [...models.values()].sort((a, b) => b.startTime - a.startTime || (a.traceId < b.traceId ? 1 : -1)).map((m) => m.traceId),
    );
    const [processed] = await store.run(golden(`${prefix}summaries-processed`).text, golden(`${prefix}summaries-processed`).params);
    expect(processed!['n']).toBe(models.size);
    const after = await store.run(golden('summaries-service-after-cursor').text, golden('summaries-service-after-cursor').params);
    expect(after.every((r) => (r['matched'] as number) <= fx.base + 100)).toBe(true);
    expect((await store.run(golden('summaries-event').text, golden('summaries-event').params)).length).toBe(models.size);
  });

  it('draws the graph and the selected time series', async () => {
    const events = await store.run(golden('graph-window').text, golden('graph-window').params);
    const total = (rows: Array<Record<string, unknown>>, kind: string) =>
      rows.filter((r) => r['kind'] === kind).reduce((n, r) => n + (r['n'] as number), 0);
    expect(total(events, 'service')).toBe([...models.values()].reduce((n, m) => n + m.nodes.filter((x) => !x.inferred).length, 0));
    const traces = await store.run(golden('graph-traces').text, golden('graph-traces').params);
    const two = ['F1', 'F2'].map((k) => models.get(parseTraceId(fx.traceIds[k]!)!)!);
    expect(total(traces, 'service')).toBe(two.reduce((n, m) => n + m.nodes.filter((x) => !x.inferred).length, 0));
    const clients = await store.run(golden('selector-client').text, golden('selector-client').params);
    expect(clients.every((r) => r['kind'] === 'edge' && r['a_type'] === 'client')).toBe(true);
    expect(total(clients, 'edge')).toBe([...models.values()].filter((m) => m.root).length);
    for (const name of ['selector-service', 'selector-service-id', 'selector-edges']) {
      const rows = await store.run(golden(name).text, golden(name).params);
      expect(rows.length, name).toBeGreaterThan(0);
    }
  });
});
