/**
 * The filter language's lexer. Total: any input yields tokens, bad characters become `invalid`
 * tokens with a message, and the parser reports them. The console uses these tokens for syntax
 * highlighting, so every character of the input belongs to exactly one token or to whitespace.
 */

export type TokenKind =
  | 'word' // keywords, bare values, dotted names: ok, http.url, rootcause.fault.service, AND, gold
  | 'string' // "double quoted"
  | 'number'
  | 'traceid' // 1-5759e988-bd862e3fe1be46a994272793 (the W3C form lexes as a word)
  | 'op' // = != < <= > >=
  | 'bang' // !
  | 'lparen'
  | 'rparen'
  | 'lbrace'
  | 'rbrace'
  | 'comma'
  | 'colon'
  | 'lbracket'
  | 'rbracket'
  | 'annotationkey' // the key between annotation[ and ] (or attribute[ and ])
  | 'json' // #[ ... ] after rootcause.json =
  | 'invalid'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The token's source text (for strings, with the quotes). */
  readonly text: string;
  /** The decoded value: a string's content, a number's text, an annotation key. */
  readonly value: string;
  /** Offsets into the input: [start, end). */
  readonly start: number;
  readonly end: number;
  /** Why an `invalid` token is invalid. */
  readonly problem?: string;
}

/** Fields named by a key that follows them: `annotation.key`, `attribute[key]`. */
const KEYED = new Set(['annotation', 'attribute']);
const WORD_START = /[A-Za-z_]/;
const WORD_CHAR = /[A-Za-z0-9_.]/;
const XRAY_TRACE_ID = /^1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}(?![A-Za-z0-9_.])/;
const HEX32 = /^[0-9a-fA-F]{32}(?![A-Za-z0-9_.])/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string, problem?: string): void => {
    const text = input.slice(start, end);
    tokens.push(
      problem === undefined ? { kind, text, value: value ?? text, start, end } : { kind, text, value: value ?? text, start, end, problem },
    );
  };
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    const prev = tokens[tokens.length - 1];
    // annotation[key], attribute[key]: the key may hold dots and start with a digit, so it is one token.
    if (c === '[' && prev?.kind === 'word' && KEYED.has(prev.value.toLowerCase()) && prev.end === start) {
      push('lbracket', i, i + 1);
      i++;
      const close = input.indexOf(']', i);
      const end = close < 0 ? input.length : close;
      let key = input.slice(i, end).trim();
      if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1);
      if (end > i) push('annotationkey', i, end, key);
      i = end;
      if (close >= 0) {
        push('rbracket', i, i + 1);
        i++;
      }
      continue;
    }
    if (c === '#' && input[i + 1] === '[') {
      const end = jsonEnd(input, i + 1);
      if (end < 0) {
        push('invalid', i, input.length, undefined, 'the #[ ... ] list is not closed');
        i = input.length;
      } else {
        push('json', i, end, input.slice(i + 1, end));
        i = end;
      }
      continue;
    }
    if (c === '"') {
      const { end, value, problem } = readString(input, i);
      if (problem) push('invalid', i, end, value, problem);
      else push('string', i, end, value);
      i = end;
      continue;
    }
    const rest = input.slice(i, i + 40);
    const traceId = XRAY_TRACE_ID.exec(rest) ?? (/[0-9]/.test(c) ? HEX32.exec(rest) : null);
    if (traceId) {
      push('traceid', i, i + traceId[0].length);
      i += traceId[0].length;
      continue;
    }
    if (/[0-9.]/.test(c) || (c === '-' && /[0-9.]/.test(input[i + 1] ?? ''))) {
      const m = NUMBER.exec(input.slice(i));
      if (m && m[0] !== '-' && m[0] !== '.') {
        let end = i + m[0].length;
        // 12abc is neither a number nor a word.
        if (end < input.length && /[A-Za-z_]/.test(input[end]!)) {
          while (end < input.length && WORD_CHAR.test(input[end]!)) end++;
          push('invalid', i, end, undefined, 'a number must not run into letters');
        } else push('number', i, end);
        i = end;
        continue;
      }
    }
    if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < input.length && WORD_CHAR.test(input[end]!)) end++;
      push('word', i, end);
      i = end;
      continue;
    }
    switch (c) {
      case '(':
        push('lparen', i, ++i);
        continue;
      case ')':
        push('rparen', i, ++i);
        continue;
      case '{':
        push('lbrace', i, ++i);
        continue;
      case '}':
        push('rbrace', i, ++i);
        continue;
      case ',':
        push('comma', i, ++i);
        continue;
      case ':':
        push('colon', i, ++i);
        continue;
      case '[':
        push('lbracket', i, ++i);
        continue;
      case ']':
        push('rbracket', i, ++i);
        continue;
      case '=':
        push('op', i, ++i);
        continue;
      case '!':
        if (input[i + 1] === '=') {
          push('op', i, (i += 2));
        } else push('bang', i, ++i);
        continue;
      case '<':
      case '>':
        if (input[i + 1] === '=') push('op', i, (i += 2));
        else push('op', i, ++i);
        continue;
      case "'":
        push('invalid', i, ++i, undefined, 'strings are written in double quotes');
        continue;
      default: {
        // One invalid token per run of characters the language does not know.
        let end = i + 1;
        while (end < input.length && !/[\sA-Za-z0-9_"(){},:[\]=!<>#'.-]/.test(input[end]!)) end++;
        push('invalid', i, end, undefined, `unexpected character ${JSON.stringify(input.slice(i, end))}`);
        i = end;
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', value: '', start: input.length, end: input.length });
  return tokens;
}

function readString(input: string, start: number): { end: number; value: string; problem?: string } {
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const c = input[i]!;
    if (c === '"') return { end: i + 1, value };
    if (c === '\\') {
      const n = input[i + 1];
      if (n === undefined) break;
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
      if (simple[n] !== undefined) {
        value += simple[n];
        i += 2;
        continue;
      }
      if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(input.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(input.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      return { end: Math.min(input.length, i + 2), value, problem: `unknown escape \\${n} in a string` };
    }
    value += c;
    i++;
  }
  return { end: input.length, value, problem: 'the string is not closed (missing ")' };
}

/** The end (exclusive) of a JSON array starting at `open` (a `[`), or -1 when it is not closed. */
function jsonEnd(input: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < input.length; i++) {
    const c = input[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** 1-based line and column of an offset. */
export function lineColumn(input: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < input.length; i++) {
    if (input[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}
