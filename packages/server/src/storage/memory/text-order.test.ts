import { describe, expect, it } from 'vitest';
import { byText, byTextNullsLast } from './text-order.js';

describe('byText', () => {
  it('orders by code point, as DuckDB orders UTF-8 text', () => {
    // U+FFFD is below U+1F600 as a code point, above its UTF-16 surrogates as a unit.
    expect(['😀', '\ufffd', 'b', 'B', 'ab', 'a'].sort(byText)).toEqual(['B', 'a', 'ab', 'b', '\ufffd', '😀']);
    expect([null, 'b', null, 'a'].sort(byTextNullsLast)).toEqual(['a', 'b', null, null]);
  });
});
