import { parseTraceId } from '../ids/trace-id.js';
import type { Expr, Field, Literal, Loc, Op, RootCauseCategory, RootCauseLevel, Selector } from './ast.js';
import { diagnostic, type FilterDiagnostic, type FilterErrorCode } from './errors.js';
import { lex, type Token } from './lexer.js';

/**
 * Grammar (keywords and operators are case-insensitive):
 *
 *   expr     := and { OR and }
 *   and      := unary { [AND] unary }                 juxtaposition is AND
 *   unary    := ("!" | NOT) unary | primary
 *   primary  := "(" expr ")" | traceId
 *             | SERVICE "(" [selector] ")" [block]
 *             | EDGE "(" selector "," selector ")" [block]
 *             | ROOTCAUSE.<fault|error|responsetime>.<service|entity|exception> block
 *             | ROOTCAUSE.JSON "=" "#[" json "]"
 *             | GROUP.<name|arn> ("=" | "!=") string
 *             | field [op value]
 *   field    := keyword | ANNOTATION.key | ANNOTATION "[" key "]"
 *   selector := string | word | ID "(" idArg { "," idArg } ")"
 *   idArg    := (NAME | TYPE | ACCOUNT.ID) ":" (string | word)
 *   block    := "{" expr "}"
 *   op       := = | != | < | <= | > | >= | CONTAINS | BEGINSWITH | ENDSWITH
 *   value    := string | number | TRUE | FALSE | word
 */

export type ParseResult = { readonly ok: true; readonly expr: Expr } | { readonly ok: false; readonly error: FilterDiagnostic };

const OP_WORDS = new Set(['contains', 'beginswith', 'endswith']);
const RESERVED = new Set(['and', 'or', ...OP_WORDS]);
const ROOT_CAUSE = /^rootcause\.(fault|error|responsetime)\.(service|entity|exception)$/;

/**
 * What one expression may hold. Every later stage (checker, planner, SQL compiler, the database's
 * own planner) walks the tree, so its size is bounded where the text arrives: a longer or deeper
 * expression is refused with \`TooLarge\` before anything else looks at it (docs/security.md).
 */
export const FILTER_LIMITS = Object.freeze({
  /** Characters of the whole expression. */
  length: 8192,
  /** Terms: comparisons, keywords, service(), edge(), rootcause.*, rootcause.json, group.*, trace IDs. */
  terms: 100,
  /** Nesting of parentheses, blocks and negations. */
  depth: 32,
});
const MAX_DEPTH = FILTER_LIMITS.depth;

class Stop extends Error {
  constructor(readonly diagnostic: FilterDiagnostic) {
    super(diagnostic.message);
  }
}

export function parse(input: string): ParseResult {
  if (input.length > FILTER_LIMITS.length) {
    const message = `the expression is ${input.length} characters long; at most ${FILTER_LIMITS.length} are allowed`;
    return { ok: false, error: diagnostic(input, 'TooLarge', message, FILTER_LIMITS.length, input.length) };
  }
  try {
    const p = new Parser(input);
    const expr = p.parseAll();
    return { ok: true, expr };
  } catch (err) {
    if (err instanceof Stop) return { ok: false, error: err.diagnostic };
    throw err;
  }
}

class Parser {
  readonly #tokens: Token[];
  #pos = 0;
  #depth = 0;
  #terms = 0;

  constructor(private readonly input: string) {
    this.#tokens = lex(input);
  }

  parseAll(): Expr {
    const first = this.#peek();
    if (first.kind === 'eof') this.#fail('UnexpectedEnd', 'the expression is empty', first);
    const expr = this.#expr();
    const rest = this.#peek();
    if (rest.kind !== 'eof') {
      if (rest.kind === 'rparen' || rest.kind === 'rbrace')
        this.#fail('UnexpectedToken', `${describe(rest)} has no matching opening bracket`, rest);
      this.#fail('UnexpectedToken', `expected AND, OR or the end of the expression but found ${describe(rest)}`, rest);
    }
    return expr;
  }

  #expr(): Expr {
    if (++this.#depth > MAX_DEPTH) this.#fail('TooLarge', `the expression nests deeper than ${MAX_DEPTH} levels`, this.#peek());
    const first = this.#peek();
    let left = this.#and();
    while (this.#isWord(this.#peek(), 'or')) {
      this.#next();
      const right = this.#and();
      left = { kind: 'or', left, right, loc: this.#from(first) };
    }
    this.#depth--;
    return left;
  }

  #and(): Expr {
    const first = this.#peek();
    let left = this.#unary();
    for (;;) {
      const t = this.#peek();
      if (this.#isWord(t, 'and')) this.#next();
      else if (!this.#startsOperand(t)) break;
      const right = this.#unary();
      left = { kind: 'and', left, right, loc: this.#from(first) };
    }
    return left;
  }

  #startsOperand(t: Token): boolean {
    if (t.kind === 'lparen' || t.kind === 'bang' || t.kind === 'traceid') return true;
    return t.kind === 'word' && !RESERVED.has(t.value.toLowerCase());
  }

  #unary(): Expr {
    const t = this.#peek();
    if (t.kind === 'bang' || this.#isWord(t, 'not')) {
      this.#next();
      if (++this.#depth > MAX_DEPTH) this.#fail('TooLarge', `the expression nests deeper than ${MAX_DEPTH} levels`, t);
      const operand = this.#unary();
      this.#depth--;
      return { kind: 'not', operand, loc: this.#from(t) };
    }
    return this.#primary();
  }

  #primary(): Expr {
    const t = this.#peek();
    if (t.kind !== 'lparen' && ++this.#terms > FILTER_LIMITS.terms)
      this.#fail('TooLarge', `the expression has more than ${FILTER_LIMITS.terms} terms`, t);
    switch (t.kind) {
      case 'lparen': {
        this.#next();
        const inner = this.#expr();
        this.#expect('rparen', `')' to close the '(' at ${this.#where(t)}`);
        return inner;
      }
      case 'traceid':
        this.#next();
        return { kind: 'traceid', id: parseTraceId(t.value)!, loc: loc(t) };
      case 'word':
        return this.#wordPrimary(t);
      case 'invalid':
        this.#fail('InvalidToken', t.problem ?? `unexpected ${describe(t)}`, t);
      // falls through (unreachable)
      default:
        this.#fail(t.kind === 'eof' ? 'UnexpectedEnd' : 'UnexpectedToken', `expected a keyword, '(' or '!' but found ${describe(t)}`, t);
    }
  }

  #wordPrimary(t: Token): Expr {
    const word = t.value.toLowerCase();
    if (RESERVED.has(word)) this.#fail('UnexpectedToken', `expected a keyword before ${t.value.toUpperCase()}`, t);
    if (word === 'service' && this.#peek(1).kind === 'lparen') return this.#service();
    if (word === 'edge' && this.#peek(1).kind === 'lparen') return this.#edge();
    if (word === 'id' && this.#peek(1).kind === 'lparen')
      this.#fail('UnexpectedToken', 'id(...) names a node inside service(...) or edge(...)', t);
    const rc = ROOT_CAUSE.exec(word);
    if (rc) {
      this.#next();
      const filter = this.#block(`${word} needs a { filter }`, true)!;
      return {
        kind: 'rootcause',
        category: rc[1] as RootCauseCategory,
        level: rc[2] as RootCauseLevel,
        filter,
        loc: { start: t.start, end: this.#prevEnd() },
      };
    }
    if (word === 'rootcause.json') return this.#rootCauseJson(t);
    if (word === 'group.name' || word === 'group.arn') {
      this.#next();
      const opToken = this.#peek();
      if (opToken.kind !== 'op' || (opToken.value !== '=' && opToken.value !== '!=')) {
        this.#fail('UnexpectedToken', `expected = or != after ${t.value} but found ${describe(opToken)}`, opToken);
      }
      this.#next();
      const v = this.#peek();
      if (v.kind !== 'string' && v.kind !== 'word')
        this.#fail('InvalidValue', `expected a group ${word.slice(6)} in quotes after '${opToken.value}' but found ${describe(v)}`, v);
      this.#next();
      return {
        kind: 'group',
        field: word === 'group.name' ? 'name' : 'arn',
        op: opToken.value as '=' | '!=',
        value: v.value,
        loc: { start: t.start, end: v.end },
      };
    }
    if (/^[0-9a-f]{32}$/.test(word)) {
      this.#next();
      return { kind: 'traceid', id: word, loc: loc(t) };
    }
    const field = this.#field(t);
    return this.#comparison(field);
  }

  #field(t: Token): Field {
    const word = t.value.toLowerCase();
    this.#next();
    for (const kind of ['annotation', 'attribute'] as const) {
      if (word === kind && this.#peek().kind === 'lbracket') {
        this.#next();
        const key = this.#peek();
        if (key.kind !== 'annotationkey' || key.value === '')
          this.#fail('UnexpectedToken', `expected an ${kind} key inside ${kind}[ ]`, key);
        this.#next();
        const close = this.#expect('rbracket', `']' to close ${kind}[`);
        return { kind, key: key.value, loc: { start: t.start, end: close.end } };
      }
      if (word.startsWith(`${kind}.`)) {
        const key = t.value.slice(kind.length + 1);
        if (key === '') this.#fail('UnexpectedToken', `expected an ${kind} key after ${kind}.`, t);
        return { kind, key, loc: loc(t) };
      }
      if (word === kind) this.#fail('UnexpectedToken', `expected ${kind}.key or ${kind}[key]`, t);
    }
    return { kind: 'keyword', name: word, loc: loc(t) };
  }

  #comparison(field: Field): Expr {
    const t = this.#peek();
    const isOp = t.kind === 'op' || (t.kind === 'word' && OP_WORDS.has(t.value.toLowerCase()));
    if (!isOp) return { kind: 'present', field, loc: field.loc };
    this.#next();
    const op = (t.kind === 'op' ? t.value : t.value.toLowerCase()) as Op;
    const value = this.#value(op, t);
    return { kind: 'compare', field, op, value, loc: { start: field.loc.start, end: value.loc.end } };
  }

  #value(op: Op, opToken: Token): Literal {
    const t = this.#peek();
    const shown = opToken.kind === 'op' ? opToken.value : opToken.value.toUpperCase();
    switch (t.kind) {
      case 'string':
        this.#next();
        return { type: 'string', value: t.value, loc: loc(t) };
      case 'number': {
        this.#next();
        const n = Number(t.value);
        if (!Number.isFinite(n)) this.#fail('InvalidValue', `${t.text} is too large a number`, t);
        return { type: 'number', value: n, loc: loc(t) };
      }
      case 'traceid':
        this.#next();
        return { type: 'string', value: t.value, loc: loc(t) };
      case 'word': {
        const w = t.value.toLowerCase();
        if (RESERVED.has(w) || w === 'not') break;
        this.#next();
        if (w === 'true' || w === 'false') return { type: 'boolean', value: w === 'true', loc: loc(t) };
        return { type: 'string', value: t.value, loc: loc(t) };
      }
      case 'invalid':
        this.#fail('InvalidToken', t.problem ?? `unexpected ${describe(t)}`, t);
    }
    void op;
    this.#fail(t.kind === 'eof' ? 'UnexpectedEnd' : 'UnexpectedToken', `expected a value after '${shown}' but found ${describe(t)}`, t);
  }

  #service(): Expr {
    const start = this.#next();
    this.#next(); // (
    let selector: Selector | null = null;
    if (this.#peek().kind !== 'rparen') selector = this.#selector('a service name, id(...) or )');
    this.#expect('rparen', "')' to close service(");
    const filter = this.#block('', false);
    return { kind: 'service', selector, filter, loc: { start: start.start, end: this.#prevEnd() } };
  }

  #edge(): Expr {
    const start = this.#next();
    this.#next(); // (
    const from = this.#selector('the calling service: a name or id(...)');
    this.#expect('comma', "',' between the two services of edge(a, b)");
    const to = this.#selector('the called service: a name or id(...)');
    this.#expect('rparen', "')' to close edge(");
    const filter = this.#block('', false);
    return { kind: 'edge', from, to, filter, loc: { start: start.start, end: this.#prevEnd() } };
  }

  #selector(what: string): Selector {
    const t = this.#peek();
    if (t.kind === 'string' || (t.kind === 'word' && !(t.value.toLowerCase() === 'id' && this.#peek(1).kind === 'lparen'))) {
      this.#next();
      return { kind: 'name', name: t.value, loc: loc(t) };
    }
    if (t.kind !== 'word')
      this.#fail(t.kind === 'eof' ? 'UnexpectedEnd' : 'UnexpectedToken', `expected ${what} but found ${describe(t)}`, t);
    this.#next();
    this.#next(); // (
    const args: { name?: string; type?: string; accountId?: string } = {};
    for (;;) {
      const key = this.#peek();
      const k = key.kind === 'word' ? key.value.toLowerCase() : '';
      const prop = k === 'name' ? 'name' : k === 'type' ? 'type' : k === 'account.id' ? 'accountId' : null;
      if (!prop) this.#fail('UnexpectedToken', `expected name:, type: or account.id: inside id( but found ${describe(key)}`, key);
      if (args[prop] !== undefined) this.#fail('UnexpectedToken', `${key.value}: is given twice in id(`, key);
      this.#next();
      this.#expect('colon', `':' after ${key.value}`);
      const v = this.#peek();
      if (v.kind !== 'string' && v.kind !== 'word')
        this.#fail('InvalidValue', `expected a value in quotes after ${key.value}: but found ${describe(v)}`, v);
      this.#next();
      args[prop] = v.value;
      if (this.#peek().kind === 'comma') {
        this.#next();
        continue;
      }
      const close = this.#expect('rparen', "',' or ')' in id(");
      return { kind: 'id', ...args, loc: { start: t.start, end: close.end } };
    }
  }

  /** `{ expr }` when present; `required` makes it an error when absent. */
  #block(requiredMessage: string, required: boolean): Expr | null {
    const open = this.#peek();
    if (open.kind !== 'lbrace') {
      if (required)
        this.#fail(open.kind === 'eof' ? 'UnexpectedEnd' : 'UnexpectedToken', `${requiredMessage} but found ${describe(open)}`, open);
      return null;
    }
    this.#next();
    if (this.#peek().kind === 'rbrace')
      this.#fail('UnexpectedToken', 'the { } block is empty; put a filter inside or leave the braces out', this.#peek());
    const inner = this.#expr();
    this.#expect('rbrace', `'}' to close the '{' at ${this.#where(open)}`);
    return inner;
  }

  #rootCauseJson(t: Token): Expr {
    this.#next();
    const eq = this.#peek();
    if (eq.kind !== 'op' || eq.value !== '=')
      this.#fail('UnexpectedToken', `expected = after rootcause.json but found ${describe(eq)}`, eq);
    this.#next();
    const j = this.#peek();
    if (j.kind === 'invalid') this.#fail('InvalidJson', j.problem ?? 'invalid JSON', j);
    if (j.kind !== 'json')
      this.#fail('UnexpectedToken', `expected #[ ... ] (a JSON list of root causes) after rootcause.json = but found ${describe(j)}`, j);
    this.#next();
    let parsed: unknown;
    try {
      parsed = JSON.parse(j.value);
    } catch (err) {
      this.#fail('InvalidJson', `the root-cause list is not valid JSON: ${(err as Error).message}`, j);
    }
    const patterns = parsed as unknown[];
    if (!patterns.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) {
      this.#fail('InvalidJson', 'rootcause.json = #[ ... ] must list root-cause objects such as {"Services": [...]}', j);
    }
    // Each pattern is matched on its own (a subquery in SQL): each counts as a term.
    this.#terms += Math.max(0, patterns.length - 1);
    if (this.#terms > FILTER_LIMITS.terms) this.#fail('TooLarge', `the expression has more than ${FILTER_LIMITS.terms} terms`, j);
    return { kind: 'rootcausejson', patterns, loc: { start: t.start, end: j.end } };
  }

  #peek(ahead = 0): Token {
    return this.#tokens[Math.min(this.#pos + ahead, this.#tokens.length - 1)]!;
  }

  #next(): Token {
    const t = this.#peek();
    if (this.#pos < this.#tokens.length - 1) this.#pos++;
    return t;
  }

  #prevEnd(): number {
    return this.#tokens[Math.max(0, this.#pos - 1)]!.end;
  }

  /**
   * From a node's first token to the last one read. AND, OR and NOT nodes take their range this way,
   * so it includes the parentheses around their operands: only a parenthesised expression's own
   * parentheses lie outside its range (written() relies on this to see text already in parentheses).
   */
  #from(first: Token): Loc {
    return { start: first.start, end: this.#prevEnd() };
  }

  #isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && t.value.toLowerCase() === word;
  }

  #expect(kind: Token['kind'], what: string): Token {
    const t = this.#peek();
    if (t.kind !== kind) {
      if (t.kind === 'invalid') this.#fail('InvalidToken', t.problem ?? `unexpected ${describe(t)}`, t);
      this.#fail(t.kind === 'eof' ? 'UnexpectedEnd' : 'UnexpectedToken', `expected ${what} but found ${describe(t)}`, t);
    }
    return this.#next();
  }

  #where(t: Token): string {
    const d = diagnostic(this.input, 'UnexpectedToken', '', t.start, t.end);
    return `${d.line}:${d.column}`;
  }

  #fail(code: FilterErrorCode, message: string, t: Token): never {
    throw new Stop(diagnostic(this.input, code, message, t.start, t.end));
  }
}

function loc(t: Token): Loc {
  return { start: t.start, end: t.end };
}

/** How a token is named in messages. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the expression';
    case 'string':
      return t.text.length > 40 ? `${t.text.slice(0, 40)}…"` : t.text;
    default:
      return `"${t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}"`;
  }
}
