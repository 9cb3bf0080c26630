import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRows, buildTimeline, statusOf, type Doc } from './timeline-model';

const three = JSON.parse(readFileSync(new URL('../../../../fixtures/console/three-services.json', import.meta.url), 'utf8')) as {
  documents: Doc[];
  expectRows: Array<{ group: string } | { span: string; depth: number }>;
};

// What BatchGetTraces adds: an inferred segment for each call no segment answered.
const inferred = (name: string, origin: string | null, parent: Doc): Doc => ({
  name,
  id: `inf-${parent.id}`,
  parent_id: parent.id,
  start_time: parent.start_time,
  end_time: parent.end_time,
  inferred: true,
  ...(origin ? { origin } : {}),
});

function processed(): Doc[] {
  const orders = three.documents[1]!;
  const subs = orders.subsegments as Doc[];
  return [
    ...three.documents,
    inferred('stock', 'AWS::DynamoDB::Table', subs[1]!),
    inferred('postgres@db.internal', 'Database::SQL', subs[3]!),
  ];
}

describe('the timeline model', () => {
  it('groups by service in the order the fixture states, subsegments nested', () => {
    const m = buildTimeline(processed().map((d) => JSON.stringify(d)));
    const rows = buildRows(m, new Set()).map((r) => (r.kind === 'group' ? { group: r.group.name } : { span: r.span.name, depth: r.depth }));
    expect(rows).toEqual(three.expectRows);
    expect(m.root?.name).toBe('frontend');
    expect(m.end - m.start).toBeCloseTo(0.62, 6);
  });

  it('collapses a span or a whole service', () => {
    const m = buildTimeline(processed());
    const all = buildRows(m, new Set()).length;
    expect(buildRows(m, new Set(['f000000000000002'])).length).toBe(all - 1); // jwt-verify hidden
    const orders = m.groups.find((g) => g.name === 'orders')!;
    expect(buildRows(m, new Set([`group:${orders.key}`])).length).toBe(all - 5);
  });

  it('walks the critical path back from the end of the root through the last-finishing calls', () => {
    const m = buildTimeline(processed());
    const on = (name: string, kind = 'subsegment') => [...m.spans.values()].find((s) => s.name === name && s.kind === kind)!.id;
    const crit = m.onPath;
    // render ends last in frontend, then the orders call, through the orders segment to its
    // last call (postgres), then inventory, DynamoDB, validate; auth-check before it all.
    for (const [name, kind] of [
      ['frontend', 'segment'],
      ['render'],
      ['orders'],
      ['orders', 'segment'],
      ['postgres@db.internal'],
      ['postgres@db.internal', 'inferred'],
      ['inventory'],
      ['inventory', 'segment'],
      ['reserve'],
      ['write'],
      ['auth-check'],
      ['jwt-verify'],
    ] as const) {
      expect(crit.has(on(name, kind)), `${name} ${kind ?? ''}`).toBe(true);
    }
    // Sections never overlap and together span the root's duration exactly.
    const all = [...m.critical.values()].flat().sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < all.length; i++) expect(all[i]![0]).toBeGreaterThanOrEqual(all[i - 1]![1] - 1e-9);
    expect(all.reduce((s, [a, b]) => s + (b - a), 0)).toBeCloseTo(0.62, 6);
  });

  it('classifies status by flags and HTTP code, fault first', () => {
    expect(statusOf({ fault: true, error: true })).toBe('fault');
    expect(statusOf({ http: { response: { status: 429 } } })).toBe('throttle');
    expect(statusOf({ http: { response: { status: 404 } } })).toBe('error');
    expect(statusOf({ in_progress: true })).toBe('partial');
    expect(statusOf({})).toBe('ok');
  });

  it('draws an in-progress segment to the end of the trace', () => {
    const m = buildTimeline([
      { name: 'a', id: 'a000000000000001', start_time: 10, end_time: 12 },
      { name: 'b', id: 'b000000000000001', start_time: 11, in_progress: true },
    ]);
    expect(m.spans.get('b000000000000001')!.end).toBeNull();
    expect(m.end).toBe(12);
  });
});
