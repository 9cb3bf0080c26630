import { describe, expect, it } from 'vitest';
import { parseFilter } from './language.js';
import { FILTER_LIMITS } from './parser.js';

const refusal = (text: string) => {
  const result = parseFilter(text);
  if (result.ok) throw new Error(`accepted ${text.slice(0, 40)}…`);
  return result;
};

describe('expression limits', () => {
  it('accepts an expression at every limit', () => {
    const terms = Array.from({ length: FILTER_LIMITS.terms }, (_, i) => `annotation.n${i} >= 0`).join(' AND ');
    expect(terms.length).toBeLessThanOrEqual(FILTER_LIMITS.length);
    expect(parseFilter(terms).ok).toBe(true);
    const nested = '('.repeat(FILTER_LIMITS.depth - 1) + 'ok' + ')'.repeat(FILTER_LIMITS.depth - 1);
    expect(parseFilter(nested).ok).toBe(true);
  });

  it('refuses one term more than the limit, at that term', () => {
    const text = Array.from({ length: 300 }, () => 'annotation.n >= 0').join(' AND ');
    const r = refusal(text);
    expect(r.error.code).toBe('TooLarge');
    expect(r.message).toBe(`1:${100 * 'annotation.n >= 0 AND '.length + 1}: the expression has more than 100 terms`);
    expect(text.slice(r.error.start, r.error.end)).toBe('annotation.n');
  });

  it('refuses 20,000 ORs and 1,000 root facts without walking them', () => {
    expect(refusal(Array.from({ length: 20_000 }, () => 'ok').join(' OR ')).error.code).toBe('TooLarge');
    expect(refusal(Array.from({ length: 1000 }, () => 'http.status = 200').join(' AND ')).error.code).toBe('TooLarge');
    expect(refusal(Array.from({ length: 1000 }, () => 'ok').join(' OR ')).message).toBe('1:601: the expression has more than 100 terms');
  });

  it('refuses text longer than the limit before lexing it', () => {
    const text = `annotation.x = "${'a'.repeat(FILTER_LIMITS.length)}"`;
    const r = refusal(text);
    expect(r.message).toBe(
      `1:${FILTER_LIMITS.length + 1}: the expression is ${text.length} characters long; at most ${FILTER_LIMITS.length} are allowed`,
    );
  });

  it('refuses nesting past the depth, counting parentheses, negations and blocks', () => {
    expect(refusal('('.repeat(FILTER_LIMITS.depth + 1) + 'ok' + ')'.repeat(FILTER_LIMITS.depth + 1)).message).toMatch(
      /nests deeper than 32 levels$/,
    );
    expect(refusal('!'.repeat(FILTER_LIMITS.depth + 1) + 'ok').error.code).toBe('TooLarge');
    expect(refusal('('.repeat(4000) + 'ok' + ')'.repeat(4000)).error.code).toBe('TooLarge');
  });

  it('counts each rootcause.json pattern as a term', () => {
    const patterns = Array.from({ length: 101 }, () => '{}').join(',');
    expect(refusal(`rootcause.json = #[${patterns}]`).message).toMatch(/more than 100 terms$/);
    expect(parseFilter(`rootcause.json = #[${Array.from({ length: 100 }, () => '{}').join(',')}]`).ok).toBe(true);
  });
});
