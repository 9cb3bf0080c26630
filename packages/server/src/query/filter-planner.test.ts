import { parseFilter } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import { planFilter } from './filter-planner.js';

const nodeLeaves = (text: string) => {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return planFilter(parsed.filter).nodeLeaves.map((n) => n.outcomes ?? null);
};

describe('node leaves', () => {
  it('are service blocks without conditions, or with only outcome keywords OR-ed', () => {
    expect(nodeLeaves('service("cart")')).toEqual([null]);
    expect(nodeLeaves('service("cart") { fault }')).toEqual([['fault']]);
    expect(nodeLeaves('service("cart") { (error OR fault) } AND service() { throttle }')).toEqual([['error', 'fault'], ['throttle']]);
  });

  it('leave every other block to the spans: a conjunction, a negation, another keyword', () => {
    expect(nodeLeaves('service("cart") { fault AND error }')).toEqual([]);
    expect(nodeLeaves('service("cart") { !fault }')).toEqual([]);
    expect(nodeLeaves('service("cart") { fault OR responsetime > 1 }')).toEqual([]);
    expect(nodeLeaves('edge("a", "b") { fault }')).toEqual([]);
  });
});
