import { describe, expect, it } from 'vitest';
import { filterTraces } from '../../../../fixtures/index.js';
import { parseTraceId } from '../ids/trace-id.js';
import type { Span } from '../model/span.js';
import { parseSegmentDocument } from '../xray/segment-document.js';
import { buildTraceModel } from './model.js';
import { rootCauses } from './root-causes.js';

const fx = filterTraces();
const byTrace = new Map<string, Span[]>();
for (const step of fx.steps) {
  for (const d of step.documents) {
    const r = parseSegmentDocument(JSON.stringify(d));
    if (!r.ok) throw new Error(r.rejection.message);
    for (const s of r.spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  }
}
const causesOf = (k: string) => rootCauses(buildTraceModel(byTrace.get(parseTraceId(fx.traceIds[k]!)!)!));

describe('root causes', () => {
  it('follows a fault through two services to its deepest entity, with its exceptions', () => {
    const { fault } = causesOf('F1');
    expect(fault).toEqual([
      {
        clientImpacting: true,
        services: [
          {
            name: 'GetWeatherData',
            type: 'AWS::Lambda::Function',
            accountId: null,
            inferred: false,
            entityPath: [
              { name: 'GetWeatherData', exceptions: [], remote: false, coverage: null },
              {
                name: 'get_temperature',
                exceptions: [{ name: 'HttpError', message: 'upstream returned 500' }],
                remote: true,
                coverage: null,
              },
            ],
          },
          {
            name: 'GetTemperature',
            type: 'AWS::Lambda::Function',
            accountId: null,
            inferred: false,
            entityPath: [
              { name: 'GetTemperature', exceptions: [], remote: false, coverage: null },
              {
                name: 'deserialize',
                exceptions: [
                  { name: 'SensorError', message: 'sensor offline' },
                  { name: 'IOError', message: 'read timed out' },
                ],
                remote: false,
                coverage: null,
              },
            ],
          },
        ],
      },
    ]);
  });

  it('ends at an inferred node when the failing call answered no segment', () => {
    const { fault, error } = causesOf('F5');
    expect(fault.map((c) => c.services.map((s) => `${s.name}|${s.type}|${s.inferred}`))).toEqual([
      ['frontend|service|false', 'DynamoDB|AWS::DynamoDB|true'],
    ]);
    expect(error).toHaveLength(1);
  });

  it('reports a handled fault downstream as not impacting the client', () => {
    const { fault } = causesOf('F10');
    expect(fault).toHaveLength(1);
    expect(fault[0]!.clientImpacting).toBe(false);
    expect(fault[0]!.services.map((s) => s.name)).toEqual(['api.example.com', 'backend.example.com']);
  });

  it('follows response time into the child that takes most of it', () => {
    const [rt] = causesOf('F7').responseTime;
    expect(rt!.services.map((s) => s.name)).toEqual(['frontend', 'orders', 'orders@db.internal']);
    const entities = rt!.services.flatMap((s) => s.entityPath.map((e) => [e.name, Math.round(e.coverage! * 100)]));
    expect(entities).toEqual([
      ['frontend', 100],
      ['orders', 95],
      ['orders', 90],
      ['orders@db.internal', 80],
      ['orders@db.internal', 80],
    ]);
    // Stays in the service when the time is spent there (compute_forecast: 3.3 s of 4 s).
    const [own] = causesOf('F13').responseTime;
    expect(own!.services.map((s) => s.entityPath.map((e) => e.name))).toEqual([['GetWeatherData', 'compute_forecast']]);
  });

  it('has none where nothing failed, and none without a root segment', () => {
    expect(causesOf('F7').fault).toEqual([]);
    expect(causesOf('F12')).toEqual({ fault: [], error: [], responseTime: [] });
    expect(causesOf('F6').responseTime).toEqual([]); // root still in progress
  });
});
