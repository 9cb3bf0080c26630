import { describe, expect, it } from 'vitest';
import { filterCorpus } from '../../../../fixtures/index.js';
import type { Expr } from './ast.js';
import { withoutLocations } from './ast.js';
import { and, annotation, byId, byName, compare, edge, keyword, not, or, present, service, SYNTHETIC, written } from './build.js';
import { parseFilter } from './language.js';
import { parse } from './parser.js';
import { print } from './printer.js';

/** The tree a text parses to, without locations. */
function tree(text: string): unknown {
  const r = parse(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return withoutLocations(r.expr);
}

function roundTrip(e: Expr): Expr {
  const r = written(print(e));
  if (!r.ok) throw new Error(r.error.message);
  return r.expr;
}

describe('built filter trees', () => {
  const fault = present(keyword('fault'));
  const error = present(keyword('error'));
  const cases: Array<[Expr, string]> = [
    [fault, 'fault'],
    [not(fault), '!fault'],
    [and(fault, error), 'fault AND error'],
    [or(fault, error, present(keyword('throttle'))), 'fault OR error OR throttle'],
    [and(or(fault, error), compare(keyword('responsetime'), '>=', 0.5)), '(fault OR error) AND responsetime >= 0.5'],
    [or(and(fault, error), not(or(fault, error))), 'fault AND error OR !(fault OR error)'],
    [compare(keyword('http.status'), '=', 500), 'http.status = 500'],
    [compare(keyword('http.url'), 'contains', 'we"ird \\ /'), 'http.url CONTAINS "we\\"ird \\\\ /"'],
    [compare(keyword('ok'), '!=', true), 'ok != true'],
    [compare(keyword('duration'), '<', -0.25), 'duration < -0.25'],
    [compare(keyword('duration'), '>', 1e21), 'duration > 1e+21'],
    [compare(keyword('duration'), '>', -0), 'duration > 0'],
    [present(annotation('tier')), 'annotation.tier'],
    [not(present(annotation('aws.local.service'))), '!annotation[aws.local.service]'],
    [compare(annotation('2fa'), '=', false), 'annotation[2fa] = false'],
    [compare(annotation('_items'), '>=', 3), 'annotation._items >= 3'],
    [service(null), 'service()'],
    [service(null, fault), 'service() { fault }'],
    [service(byName('cart'), or(fault, error)), 'service("cart") { fault OR error }'],
    [service(byId({ name: 'auth', type: 'AWS::Lambda::Function' })), 'service(id(name: "auth", type: "AWS::Lambda::Function"))'],
    [service(byId({ accountId: '123456789012' })), 'service(id(account.id: "123456789012"))'],
    [service(byId({ name: 'a', type: 't', accountId: '1' })), 'service(id(name: "a", type: "t", account.id: "1"))'],
    [
      edge(byName('a'), byId({ type: 'AWS::DynamoDB::Table' }), compare(keyword('responsetime'), '>', 1)),
      'edge("a", id(type: "AWS::DynamoDB::Table")) { responsetime > 1 }',
    ],
    [not(service(byName('a'))), '!service("a")'],
  ];

  it.each(cases.map(([built, text]) => [text, built] as const))('prints %s, which parses back to the same tree', (text, built) => {
    expect(print(built)).toBe(text);
    expect(tree(text)).toEqual(withoutLocations(built));
  });

  it('carries a synthetic location on every node', () => {
    const built = and(service(byName('a'), compare(keyword('http.status'), '=', 500)), not(present(annotation('x'))));
    const locs: unknown[] = [];
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'loc') locs.push(v);
        else walk(v);
      }
    };
    walk(built);
    expect(locs.length).toBe(9);
    for (const loc of locs) expect(loc).toBe(SYNTHETIC);
    expect(SYNTHETIC).toEqual({ start: 0, end: 0 });
    expect(Object.isFrozen(SYNTHETIC)).toBe(true);
  });

  it('groups AND and OR from the left, as the parser does', () => {
    const [a, b, c] = ['ok', 'error', 'fault'].map((k) => present(keyword(k))) as [Expr, Expr, Expr];
    expect(withoutLocations(and(a, b, c))).toEqual(tree('ok AND error AND fault'));
    expect(withoutLocations(or(a, b, c))).toEqual(tree('ok OR error OR fault'));
    expect(and(a)).toBe(a);
  });

  it('builds trees the checker accepts', () => {
    const built = and(
      service(byId({ name: 'auth', type: 'AWS::Lambda::Function' }), or(present(keyword('error')), present(keyword('fault')))),
      compare(keyword('user'), '=', 'alice'),
    );
    expect(parseFilter(print(built)).ok).toBe(true);
  });

  it('refuses what the language cannot write', () => {
    expect(() => keyword('tier')).toThrow(RangeError);
    expect(() => keyword('OK')).toThrow('"OK" is not a keyword of the filter language');
    expect(() => compare(keyword('duration'), '>', Number.NaN)).toThrow('the filter language has no number NaN');
    expect(() => compare(keyword('duration'), '>', Infinity)).toThrow(RangeError);
    for (const key of ['', 'a]b', ' a', 'a ', '"a"']) expect(() => annotation(key), key).toThrow(RangeError);
    expect(() => byId({})).toThrow('id(...) needs a name, type or account.id');
    expect(withoutLocations(byId({ name: 'a', type: undefined }))).toEqual({ kind: 'id', name: 'a' });
  });

  it('keeps the tree through print and written', () => {
    for (const [built] of cases) expect(withoutLocations(roundTrip(built))).toEqual(withoutLocations(built));
  });
});

describe('written filters', () => {
  const w = (text: string): Expr => {
    const r = written(text);
    if (!r.ok) throw new Error(r.error.message);
    return r.expr;
  };
  const verbatim = (e: Expr): string => print(e, { verbatim: true });

  it('is the parsed tree, its root carrying the trimmed text', () => {
    const e = w('  fault or  error\n');
    expect(withoutLocations(e)).toEqual(tree('fault OR error'));
    expect(e.loc.source).toBe('fault or  error');
  });

  it('checks syntax only: keywords the checker refuses still compose', () => {
    expect(written('tier = "gold" or colour').ok).toBe(true);
    const bad = written('  fault AND');
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect([bad.error.message, bad.error.column]).toEqual(["expected a keyword, '(' or '!' but found the end of the expression", 10]);
  });

  it('prints canonically unless asked to print verbatim', () => {
    const e = and(w('fault or  error'), w('user = alice'));
    expect(print(e)).toBe('(fault OR error) AND user = "alice"');
    expect(verbatim(e)).toBe('(fault or  error) AND user = alice');
  });

  it('takes its parentheses from the tree, and adds none to text that has them', () => {
    const c = present(keyword('ok'));
    const cases: Array<[string, string]> = [
      ['a or b', '(a or b) AND ok'],
      ['(a or b)', '(a or b) AND ok'],
      ['((a or b))', '((a or b)) AND ok'],
      ['(a) or (b)', '((a) or (b)) AND ok'],
      ['(a) or b', '((a) or b) AND ok'],
      ['a or (b)', '(a or (b)) AND ok'],
      ['(a) (b)', '(a) (b) AND ok'],
      ['!(a or b)', '!(a or b) AND ok'],
      ['service("a") { fault or error }', 'service("a") { fault or error } AND ok'],
      ['a b', 'a b AND ok'],
      ['(a)', '(a) AND ok'],
    ];
    for (const [text, expected] of cases) expect(verbatim(and(w(text), c)), text).toBe(expected);
    expect(verbatim(and(c, w('a or b')))).toBe('ok AND (a or b)');
    expect(verbatim(or(c, w('a or b')))).toBe('ok OR a or b');
    expect(verbatim(not(w('a b')))).toBe('!(a b)');
    expect(verbatim(not(w('(a b)')))).toBe('!(a b)');
    expect(verbatim(not(w('!a')))).toBe('!!a');
    expect(verbatim(service(byName('x'), w('(error or fault)')))).toBe('service("x") { (error or fault) }');
  });

  it('prints an expression as an operand of AND or NOT', () => {
    const either = or(present(keyword('error')), present(keyword('fault')));
    expect(print(either, { operandOf: 'and' })).toBe('(error OR fault)');
    expect(print(and(either, present(keyword('ok'))), { operandOf: 'and' })).toBe('(error OR fault) AND ok');
    expect(print(and(either, present(keyword('ok'))), { operandOf: 'not' })).toBe('((error OR fault) AND ok)');
    expect(print(w('(a or b)'), { operandOf: 'and', verbatim: true })).toBe('(a or b)');
    expect(print(w('a or b'), { operandOf: 'and', verbatim: true })).toBe('(a or b)');
    expect(print(w('a'), { operandOf: 'not', verbatim: true })).toBe('a');
  });

  // Any two valid expressions, composed as typed, mean their AND: the text parses to a tree that
  // prints as the AND of the two trees (AND re-groups from the left, as canonical printing does).
  it('composes every pair of corpus expressions', () => {
    const texts = filterCorpus().valid;
    const shapes = (t: string) => [t, `(${t})`, `(${t}) or (${t})`, `!(${t})`];
    for (const a of texts) {
      for (const b of [texts[0]!, 'fault OR error', '(fault OR error)']) {
        for (const x of shapes(a)) {
          const composed = verbatim(and(w(x), w(b)));
          const reparsed = parse(composed);
          if (!reparsed.ok) throw new Error(`${composed}: ${reparsed.error.message}`);
          expect(print(reparsed.expr), composed).toBe(print(and(w(x), w(b))));
        }
      }
    }
  });
});
