import { describe, expect, it } from 'vitest';
import { filterCorpus } from '../../../../fixtures/index.js';
import { seededRandom as random } from '../../../../fixtures/random.mjs';
import { analyzeFilter, parseFilter } from './language.js';

const PIECES = [
  'ok',
  'fault',
  ' AND ',
  ' OR ',
  '!',
  'NOT ',
  '(',
  ')',
  '{',
  '}',
  'service(',
  'edge(',
  '"x"',
  ',',
  'id(',
  'name:',
  'annotation.',
  'annotation[',
  ']',
  '#[',
  '[',
  '=',
  '!=',
  '>=',
  ' CONTAINS ',
  '5',
  '-',
  '.',
  '"',
  '\\',
  'rootcause.fault.service',
  'rootcause.json = ',
  '1-5759e988-bd862e3fe1be46a994272793',
  ' ',
  '\n',
  'é',
  '\u0000',
  '@',
  "'",
];

describe('filter fuzz', () => {
  const corpus = filterCorpus();
  const seeds = [...corpus.valid, ...corpus.parse_fails.map((c) => c.expr), ...corpus.check_fails.map((c) => c.expr)];
  const rnd = random(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  function mutate(text: string): string {
    let s = text;
    const edits = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(rnd() * (s.length + 1));
      const op = rnd();
      if (op < 0.35) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3));
      else if (op < 0.7) s = s.slice(0, at) + pick(PIECES) + s.slice(at);
      else s = s.slice(0, at) + String.fromCharCode(32 + Math.floor(rnd() * 95)) + s.slice(at + 1);
    }
    return s;
  }

  const inputs: string[] = [];
  for (let i = 0; i < 4000; i++) inputs.push(mutate(pick(seeds)));
  for (let i = 0; i < 2000; i++) inputs.push(Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pick(PIECES)).join(''));
  inputs.push('('.repeat(5000), '!'.repeat(5000) + 'ok', 'ok '.repeat(3000), `service("${'x'.repeat(100_000)}")`, '"'.repeat(999));

  it(`never throws or hangs on ${inputs.length} random and mutated inputs; each yields a tree or a positioned error`, () => {
    const started = performance.now();
    for (const input of inputs) {
      const result = parseFilter(input);
      if (!result.ok) {
        const { start, end, line, column } = result.error;
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(input.length);
        expect(line).toBeGreaterThanOrEqual(1);
        expect(column).toBeGreaterThanOrEqual(1);
        expect(result.message).toMatch(/^\d+:\d+: \S/);
      }
      const analysis = analyzeFilter(input);
      for (const t of analysis.tokens) expect(t.end).toBeGreaterThan(t.start);
    }
    // Bounded in count; the time is reported, not asserted (performance lives in bench/).
    expect(performance.now() - started).toBeGreaterThan(0);
  });
});
