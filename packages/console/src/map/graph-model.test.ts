import { parseFilter } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import type { XrayService } from '../api/xray-types';
import { binHistogram, buildGraph, edgeFilter, kindOf, niceWidth, nodeFilter } from './graph-model';

const stats = (ok: number, error: number, throttle: number, fault: number, time: number) => ({
  OkCount: ok,
  ErrorStatistics: { ThrottleCount: throttle, OtherCount: error, TotalCount: error + throttle },
  FaultStatistics: { OtherCount: fault, TotalCount: fault },
  TotalCount: ok + error + throttle + fault,
  TotalResponseTime: time,
});

const services: XrayService[] = [
  {
    ReferenceId: 0,
    Name: 'web',
    Type: 'client',
    State: 'unknown',
    Edges: [{ ReferenceId: 1, SummaryStatistics: stats(8, 1, 0, 1, 2), ResponseTimeHistogram: [{ Value: 0.2, Count: 10 }] }],
  },
  {
    ReferenceId: 1,
    Name: 'web',
    Type: 'AWS::EC2::Instance',
    State: 'active',
    Root: true,
    SummaryStatistics: stats(8, 1, 0, 1, 1.8),
    Edges: [{ ReferenceId: 2, SummaryStatistics: stats(3, 0, 1, 0, 0.4) }],
  },
  {
    ReferenceId: 2,
    Name: 'DynamoDB',
    Type: 'AWS::DynamoDB::Table',
    State: 'unknown',
    SummaryStatistics: stats(3, 0, 1, 0, 0.3),
    ResponseTimeHistogram: [
      { Value: 0.05, Count: 3 },
      { Value: 0.15, Count: 1 },
    ],
  },
];

describe('the service map model', () => {
  const g = buildGraph(services, 600);

  it('splits health into ok / error / fault / throttle, and rates per minute', () => {
    const web = g.nodes.find((n) => n.type === 'AWS::EC2::Instance')!;
    expect(web.health).toMatchObject({ total: 10, ok: 8, error: 1, fault: 1, throttle: 0, perMinute: 1 });
    expect(web.health.avgResponseTime).toBeCloseTo(0.18);
    const ddb = g.nodes.find((n) => n.name === 'DynamoDB')!;
    expect([ddb.kind, ddb.inferred, ddb.health.throttle, ddb.health.error]).toEqual(['aws', true, 1, 0]);
  });

  it('gives a client node the statistics of its edges', () => {
    const client = g.nodes.find((n) => n.kind === 'client')!;
    expect(client.health.total).toBe(10);
    expect(client.histogram).toEqual([{ Value: 0.2, Count: 10 }]);
  });

  it('writes the filter of a node, a client node and an edge', () => {
    const [client, web, ddb] = g.nodes;
    expect(nodeFilter(web!, ['fault'], null)).toBe('service("web") { fault }');
    expect(nodeFilter(client!, [], [0.5, 2])).toBe('edge("web", "web") { responsetime >= 0.5 AND responsetime <= 2 }');
    expect(nodeFilter(ddb!, ['throttle'], null)).toBe('service("DynamoDB") { throttle }');
    expect(edgeFilter(g.edges[0]!, [], null)).toBe('edge("web", "web")');
    expect(edgeFilter(g.edges[1]!, ['error', 'throttle'], null)).toBe('edge("web", "DynamoDB") { (error OR throttle) }');
    for (const f of [nodeFilter(web!, ['fault'], [0, 1]), edgeFilter(g.edges[1]!, ['ok'], [0.1, 0.2])])
      expect(parseFilter(f).ok, f).toBe(true);
  });

  it('names nodes and edges by name and type, whatever ReferenceIds the graph gave them', () => {
    const g = buildGraph(services, 600);
    expect(g.nodes.map((n) => n.id)).toEqual(['web|client', 'web|AWS::EC2::Instance', 'DynamoDB|AWS::DynamoDB::Table']);
    expect(g.edges.map((e) => e.id)).toEqual([
      'web|client->web|AWS::EC2::Instance',
      'web|AWS::EC2::Instance->DynamoDB|AWS::DynamoDB::Table',
    ]);
    // A new node first in the graph renumbers the others: the ids stay.
    const shifted = [
      { ReferenceId: 0, Name: 'new', Type: 'service', State: 'active', SummaryStatistics: stats(1, 0, 0, 0, 0.1) },
      ...services.map((s) => ({
        ...s,
        ReferenceId: s.ReferenceId! + 1,
        Edges: s.Edges?.map((e) => ({ ...e, ReferenceId: e.ReferenceId! + 1 })),
      })),
    ];
    const again = buildGraph(shifted, 600);
    expect(again.nodes.slice(1).map((n) => n.id)).toEqual(g.nodes.map((n) => n.id));
    expect(again.edges.map((e) => e.id)).toEqual(g.edges.map((e) => e.id));
    expect(buildGraph([{ ...services[2]!, AccountId: '123456789012' }], 600).nodes[0]!.id).toBe(
      'DynamoDB|AWS::DynamoDB::Table|123456789012',
    );
  });

  it('gives p95 from the histogram and rates over the minutes that had traffic', () => {
    const t0 = 1_800_000_000 - (1_800_000_000 % 60);
    const timed: XrayService[] = services.map((s) => ({
      ...s,
      // Requests in the first three minutes of a one-hour window only.
      StartTime: t0 + 5,
      EndTime: t0 + 170,
      Edges: s.Edges?.map((e) => ({ ...e, StartTime: t0 + 5, EndTime: t0 + 170 })),
    }));
    const window = { start: t0, end: t0 + 3600 };
    const g = buildGraph(timed, 3600, { window, minutes: null });
    const ddb = g.nodes.find((n) => n.name === 'DynamoDB')!;
    expect(ddb.health.p95).toBe(0.15);
    expect(ddb.health.minutes).toBe(3);
    expect(ddb.health.perMinute).toBeCloseTo(4 / 3);
    // The client node spans its edges.
    expect(g.nodes.find((n) => n.kind === 'client')!.health).toMatchObject({ minutes: 3, p95: 0.2 });
    // A minute in which no request entered anywhere does not count.
    const gap = buildGraph(timed, 3600, { window, minutes: new Set([t0, t0 + 120]) });
    expect(gap.nodes.find((n) => n.name === 'DynamoDB')!.health.perMinute).toBe(2);
    expect(gap.edges[1]!.health).toMatchObject({ minutes: 2, perMinute: 2, p95: null });
    // Without traffic, the whole window as before: 10 requests in 10 minutes.
    expect(buildGraph(services, 600).nodes[1]!.health.perMinute).toBe(1);
  });

  it('knows node kinds by type', () => {
    expect(['client', 'service', 'AWS::Lambda::Function', 'AWS::SQS::Queue', 'Database::SQL', 'remote'].map(kindOf)).toEqual([
      'client',
      'service',
      'service',
      'aws',
      'database',
      'remote',
    ]);
  });

  it('re-bins histograms into nice equal bins from zero', () => {
    expect(niceWidth(0.6, 40)).toBe(0.02);
    expect(niceWidth(3, 40)).toBe(0.1);
    const bins = binHistogram(
      [
        { Value: 0.05, Count: 3 },
        { Value: 0.15, Count: 1 },
      ],
      10,
    );
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(4);
    expect(bins[0]!.start).toBe(0);
    expect(bins.find((b) => b.start <= 0.05 && 0.05 < b.end)!.count).toBe(3);
  });
});
