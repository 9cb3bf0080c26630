import { parseFilter } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../api/xray-types';
import {
  asCallee,
  calleeFilter,
  callerFilter,
  callWindow,
  openAt,
  startedDuring,
  unansweredCalls,
  type UnansweredCall,
} from './lost-context';
import { buildTimeline, type Doc } from './timeline-model';

const T0 = 1_767_225_600.4;

// The caller's trace as BatchGetTraces answers it: an X-Ray SDK segment whose HTTP call and
// DynamoDB call got no segment, so each has an inferred one.
const caller: Doc[] = [
  {
    id: 'a000000000000001',
    name: 'shop',
    trace_id: '1-69559e80-000000000000000000000001',
    start_time: T0,
    end_time: T0 + 0.3,
    http: { request: { method: 'GET', url: 'http://shop/checkout' }, response: { status: 200 } },
    aws: { xray: { sdk: 'X-Ray for Node.js', sdk_version: '3.12.0' } },
    subsegments: [
      {
        id: 'a000000000000002',
        name: 'cart.internal',
        namespace: 'remote',
        start_time: T0 + 0.05,
        end_time: T0 + 0.25,
        http: { request: { method: 'GET', url: 'http://cart.internal:8080/cart/items?user=7' }, response: { status: 200 } },
      },
      { id: 'a000000000000003', name: 'DynamoDB', namespace: 'aws', start_time: T0 + 0.26, end_time: T0 + 0.28 },
    ],
  },
  {
    id: 'i1',
    name: 'cart.internal',
    parent_id: 'a000000000000002',
    inferred: true,
    start_time: T0 + 0.05,
    end_time: T0 + 0.25,
    http: { request: { method: 'GET', url: 'http://cart.internal:8080/cart/items?user=7' } },
  },
  { id: 'i2', name: 'carts', parent_id: 'a000000000000003', inferred: true, origin: 'AWS::DynamoDB::Table', start_time: T0 + 0.26 },
];
const SELF = '1-69559e80-000000000000000000000001';

const summary = (id: string, start: number, entry: string, url: string): TraceSummary => ({
  Id: id,
  StartTime: start,
  Duration: 0.1,
  EntryPoint: { Name: entry },
  Http: { HttpURL: url },
});

describe('pairing a call that lost its trace context with the trace it began', () => {
  const model = buildTimeline(caller);
  const [call] = unansweredCalls(model) as [UnansweredCall];

  it('finds the unanswered HTTP calls only, with their caller and its SDK', () => {
    expect(unansweredCalls(model)).toEqual([
      {
        id: 'a000000000000002',
        url: 'http://cart.internal:8080/cart/items?user=7',
        path: '/cart/items',
        start: T0 + 0.05,
        end: T0 + 0.25,
        caller: 'shop',
        xraySdk: true,
      },
    ]);
    expect(unansweredCalls(model, 0)).toEqual([]);
  });

  it('asks for traces with the call’s path in a window a second wider than the call', () => {
    expect(calleeFilter(call)).toBe('http.url CONTAINS "/cart/items"');
    expect(parseFilter(calleeFilter(call)).ok).toBe(true);
    expect(callWindow(call)).toEqual({ start: Math.floor(T0) - 1, end: Math.ceil(T0 + 0.25) + 1 });
  });

  it('keeps the trace whose root began during the call, nearest its start', () => {
    const callee = summary('1-69559e80-0000000000000000000000b2', T0 + 0.06, 'cart', 'http://cart.internal:8080/cart/items');
    const later = summary('1-69559e80-0000000000000000000000b3', T0 + 0.2, 'cart', 'http://cart.internal:8080/cart/items');
    expect(startedDuring(call, [later, callee], SELF)).toBe(callee);
  });

  it('drops the trace itself, the caller’s own requests, other paths and traces outside the call', () => {
    const others = [
      summary(SELF, T0 + 0.06, 'cart', 'http://cart.internal:8080/cart/items'),
      summary('1-69559e80-0000000000000000000000c1', T0 + 0.06, 'shop', 'http://shop/cart/items'),
      summary('1-69559e80-0000000000000000000000c2', T0 + 0.06, 'cart', 'http://cart.internal:8080/cart/items/7'),
      summary('1-69559e80-0000000000000000000000c3', T0 - 0.5, 'cart', 'http://cart.internal:8080/cart/items'),
      summary('1-69559e80-0000000000000000000000c4', T0 + 0.6, 'cart', 'http://cart.internal:8080/cart/items'),
    ];
    expect(startedDuring(call, others, SELF)).toBeNull();
  });

  it('finds the caller from the callee’s side with the same test', () => {
    const calleeModel = buildTimeline([
      {
        id: 'b000000000000001',
        name: 'cart',
        trace_id: '1-69559e80-0000000000000000000000b2',
        start_time: T0 + 0.06,
        end_time: T0 + 0.2,
        http: { request: { method: 'GET', url: 'http://cart.internal:8080/cart/items?user=7' } },
      },
    ]);
    const callee = asCallee(calleeModel, '1-69559e80-0000000000000000000000b2')!;
    expect(callerFilter(callee)).toBe('service(id(type: "remote")) { http.url CONTAINS "/cart/items" }');
    expect(parseFilter(callerFilter(callee)).ok).toBe(true);
    const open = summary(SELF, T0, 'shop', 'http://shop/checkout');
    const closed = summary('1-69559e80-0000000000000000000000d1', T0 - 1, 'shop', 'http://shop/checkout');
    expect(openAt(callee, [closed, open, callee])).toEqual([open]);
    expect(startedDuring(call, [callee], SELF)).toBe(callee);

    // A root with a parent ID continues a trace whose caller's segments are missing: not a callee.
    const continued = buildTimeline([{ ...(calleeModel.root!.doc as Doc), parent_id: 'a000000000000002' }]);
    expect(asCallee(continued, '1-69559e80-0000000000000000000000b2')).toBeNull();
  });
});
