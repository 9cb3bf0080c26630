import { parseFilter } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import { andFilter, blockCondition, edgeSelector, extractTraceId, responseTimeRange, serviceSelector, withBlock } from './expressions';

describe('filter expressions built from clicks', () => {
  it('writes service and edge filters the language accepts', () => {
    const cases = [
      withBlock(serviceSelector('cart', 'service', false), blockCondition(['fault'], null)),
      withBlock(serviceSelector('auth', 'AWS::Lambda::Function', true), blockCondition(['error', 'fault'], [0.5, 2])),
      withBlock(edgeSelector('a', 'b'), blockCondition([], [0.5, 2])),
      withBlock(serviceSelector('we"ird \\ name', null, false), ''),
    ];
    expect(cases).toEqual([
      'service("cart") { fault }',
      'service(id(name: "auth", type: "AWS::Lambda::Function")) { (error OR fault) AND responsetime >= 0.5 AND responsetime <= 2 }',
      'edge("a", "b") { responsetime >= 0.5 AND responsetime <= 2 }',
      'service("we\\"ird \\\\ name")',
    ]);
    for (const c of cases) expect(parseFilter(c).ok, c).toBe(true);
  });

  it('selects nothing narrower when every status is ticked', () => {
    expect(blockCondition(['ok', 'error', 'fault', 'throttle'], null)).toBe('');
  });

  it('ANDs conditions, parenthesising a top-level OR only', () => {
    expect(andFilter('', 'fault')).toBe('fault');
    expect(andFilter('ok', '')).toBe('ok');
    expect(andFilter('fault OR error', 'http.status = 500')).toBe('(fault OR error) AND http.status = 500');
    expect(andFilter('service("a") { fault OR error }', 'user = "x"')).toBe('service("a") { fault OR error } AND user = "x"');
    expect(andFilter('a or b', 'c OR d')).toBe('(a or b) AND (c OR d)');
  });

  it('keeps what the user typed, parenthesised by its tree, or whole when it does not parse', () => {
    expect(andFilter('(a or b)', 'c')).toBe('(a or b) AND c');
    expect(andFilter('(a) or (b)', 'c')).toBe('((a) or (b)) AND c');
    expect(andFilter(' !(fault or error) ', 'user = x')).toBe('!(fault or error) AND user = x');
    expect(andFilter('tier = gold or colour', 'ok')).toBe('(tier = gold or colour) AND ok');
    expect(andFilter('service("a") {', 'fault')).toBe('(service("a") {) AND fault');
    expect(andFilter('fault OR', 'a or b')).toBe('(fault OR) AND (a or b)');
  });

  it('keeps a choice of statuses in parentheses when no range follows', () => {
    expect(blockCondition(['error', 'fault'], null)).toBe('(error OR fault)');
    expect(withBlock(edgeSelector('a', 'b'), blockCondition(['ok', 'error', 'throttle'], null))).toBe(
      'edge("a", "b") { (ok OR error OR throttle) }',
    );
  });

  it('rounds latency ranges to the millisecond', () => {
    expect(responseTimeRange(0.12345, 1.9999)).toBe('responsetime >= 0.123 AND responsetime <= 2');
  });

  it('finds the trace ID in what a user pastes', () => {
    const x = '1-5759e988-bd862e3fe1be46a994272793';
    expect(extractTraceId(x)).toBe(x);
    expect(extractTraceId(' 5759E988BD862E3FE1BE46A994272793\n')).toBe(x);
    expect(extractTraceId('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01')).toBe(x);
    expect(extractTraceId('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')).toBe(x);
    expect(extractTraceId('service("cart")')).toBeNull();
    expect(extractTraceId('5759e988bd862e3fe1be46a99427279')).toBeNull();
  });
});
