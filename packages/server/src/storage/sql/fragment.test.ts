import { ID_SEGMENT, SCHEME_AND_AUTHORITY, VERSION } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import { compile, pattern, sql } from './fragment.js';

const positional = { name: 'test', placeholder: (i: number) => `$${i + 1}` };

describe('pattern', () => {
  it("writes core's route patterns as literals the regex engines read as JavaScript does", () => {
    const q = compile(sql`SELECT ${pattern(SCHEME_AND_AUTHORITY)}, ${pattern(ID_SEGMENT)}, ${pattern(VERSION)}, ${'x'}`, positional);
    expect(q.text).toBe(`SELECT '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*', '[0-9]', '^[vV][0-9]+$', $1`);
    expect(q.params).toEqual(['x']);
  });

  it('refuses a pattern a dialect could read differently: a quote, another backslash, flags', () => {
    expect(() => pattern(/it's/)).toThrow(/refusing/);
    expect(() => pattern(/\d+/)).toThrow(/refusing/);
    expect(() => pattern(/a/i)).toThrow(/refusing/);
  });
});
