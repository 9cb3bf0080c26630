import { describe, expect, it } from 'vitest';
import { filterCorpus } from '../../../../fixtures/index.js';
import { withoutLocations } from './ast.js';
import { describeDiagnostic } from './errors.js';
import { parseFilter } from './language.js';
import { parse } from './parser.js';
import { print } from './printer.js';

const corpus = filterCorpus();

describe('filter corpus', () => {
  it('holds at least 150 expressions', () => {
    expect(corpus.valid.length + corpus.parse_fails.length + corpus.check_fails.length).toBeGreaterThanOrEqual(150);
  });

  it.each(corpus.valid)('valid: %s', (text) => {
    const result = parseFilter(text);
    if (!result.ok) throw new Error(result.message);
    // print → parse gives the same tree, and printing is stable.
    const printed = print(result.filter);
    const again = parseFilter(printed);
    if (!again.ok) throw new Error(`printed form does not parse: ${printed}: ${again.message}`);
    expect(withoutLocations(again.filter)).toEqual(withoutLocations(result.filter));
    expect(print(again.filter)).toBe(printed);
  });

  it.each(corpus.parse_fails)('parse fails: $expr', ({ expr, message }) => {
    const result = parse(expr);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(describeDiagnostic(result.error)).toBe(message);
  });

  it.each(corpus.check_fails)('check fails: $expr', ({ expr, message, options }) => {
    expect(parse(expr).ok).toBe(true);
    const result = parseFilter(expr, options);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toBe(message);
  });
});
