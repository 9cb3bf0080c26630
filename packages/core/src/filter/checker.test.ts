import { describe, expect, it } from 'vitest';
import { byName, present, keyword, service } from './build.js';
import { check } from './checker.js';
import { analyzeFilter, parseFilter } from './language.js';

const asSelector = { entitySelector: true } as const;

describe('entity selectors', () => {
  it.each([
    'service("a")',
    'service()',
    'service(id(name: "auth", type: "AWS::Lambda::Function"))',
    'edge("a", "b")',
    'edge(id(type: "client"), "frontend")',
    'service("a") OR service("b") OR service(id(type: "AWS::DynamoDB::Table"))',
    '(edge("a", "b") OR edge("b", "c")) or edge("c", "d")',
  ])('accepts %s', (text) => {
    const result = parseFilter(text, asSelector);
    expect(result.ok, result.ok ? '' : result.message).toBe(true);
  });

  it('says where, with a code and the range of what is refused', () => {
    const text = 'service("a") OR\nservice("b") { fault }';
    const result = parseFilter(text, asSelector);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe('2:14: an entity selector takes no { filter }');
    expect(result.error).toMatchObject({ code: 'NotAllowedHere', line: 2, column: 14 });
    expect(text.slice(result.error.start, result.error.end)).toBe('{ fault }');
  });

  it.each([
    ['service("a") OR edge("a", "b")', 'edge("a", "b")'],
    ['service("a") AND service("b")', 'service("a") AND service("b")'],
    ['service("a") OR !service("b")', '!service("b")'],
    ['service("a") OR (responsetime > 1)', 'responsetime > 1'],
  ])('refuses %s at %s', (text, refused) => {
    const result = parseFilter(text, asSelector);
    if (result.ok) throw new Error('accepted');
    expect(text.slice(result.error.start, result.error.end)).toBe(refused);
  });

  it('reports the first problem from the left', () => {
    const result = parseFilter('service("a") { fault } OR edge("a", "b") OR ok', asSelector);
    expect(result.ok ? '' : result.message).toBe('1:14: an entity selector takes no { filter }');
  });

  it('only applies when asked: the same texts are trace filters', () => {
    for (const text of ['service("a") { fault }', 'service("a") OR edge("a", "b")', 'service("a") AND service("b")'])
      expect(parseFilter(text).ok, text).toBe(true);
  });

  it('places a built block, which has no text, at the block', () => {
    const result = check('', service(byName('a'), present(keyword('fault'))), asSelector);
    expect(result.ok ? null : [result.error.message, result.error.start]).toEqual(['an entity selector takes no { filter }', 0]);
  });

  it('gives the console its diagnostic as the user types', () => {
    const { diagnostics } = analyzeFilter('edge("a", "b") OR service("a")', asSelector);
    expect(diagnostics.map((d) => [d.column, d.message])).toEqual([[19, 'an entity selector cannot mix service(...) and edge(...)']]);
  });
});
