import { check, type CheckedFilter, type CheckOptions } from './checker.js';
import { describeDiagnostic, type FilterDiagnostic } from './errors.js';
import { KEYWORD_BY_NAME } from './keywords.js';
import { lex, type Token } from './lexer.js';
import { parse } from './parser.js';

export type FilterResult =
  | { readonly ok: true; readonly filter: CheckedFilter }
  | { readonly ok: false; readonly error: FilterDiagnostic; readonly message: string };

/** Parses and checks a filter expression. On failure, `message` is `line:column: what is wrong`. */
export function parseFilter(text: string, options: CheckOptions = {}): FilterResult {
  const parsed = parse(text);
  if (!parsed.ok) return { ok: false, error: parsed.error, message: describeDiagnostic(parsed.error) };
  const checked = check(text, parsed.expr, options);
  if (!checked.ok) return { ok: false, error: checked.error, message: describeDiagnostic(checked.error) };
  return checked;
}

/** How the console colours a token. */
export type HighlightClass =
  | 'keyword'
  | 'function'
  | 'annotation'
  | 'operator'
  | 'string'
  | 'number'
  | 'boolean'
  | 'value'
  | 'traceid'
  | 'json'
  | 'punctuation'
  | 'unknown'
  | 'invalid';

export interface HighlightToken {
  readonly start: number;
  readonly end: number;
  readonly class: HighlightClass;
}

export interface FilterAnalysis {
  readonly tokens: readonly HighlightToken[];
  /** Empty when the expression is valid. */
  readonly diagnostics: readonly FilterDiagnostic[];
}

const FUNCTIONS = /^(service|edge|id|rootcause\.(fault|error|responsetime)\.(service|entity|exception)|rootcause\.json|group\.(name|arn))$/;
const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'contains', 'beginswith', 'endswith']);

/**
 * Tokens with highlight classes and the diagnostics of a possibly unfinished expression, for an
 * editor: it works on any input, and is pure, so the console can run it as the user types.
 */
export function analyzeFilter(text: string, options: CheckOptions = {}): FilterAnalysis {
  const tokens = lex(text);
  const out: HighlightToken[] = [];
  let prev: Token | null = null;
  for (const t of tokens) {
    if (t.kind === 'eof') break;
    out.push({ start: t.start, end: t.end, class: classify(t, prev) });
    prev = t;
  }
  const result = text.trim() === '' ? null : parseFilter(text, options);
  return { tokens: out, diagnostics: result && !result.ok ? [result.error] : [] };
}

function classify(t: Token, prev: Token | null): HighlightClass {
  switch (t.kind) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'traceid':
      return 'traceid';
    case 'op':
    case 'bang':
      return 'operator';
    case 'json':
      return 'json';
    case 'annotationkey':
      return 'annotation';
    case 'invalid':
      return 'invalid';
    case 'word': {
      const w = t.value.toLowerCase();
      if (OPERATOR_WORDS.has(w)) return 'operator';
      if (w === 'true' || w === 'false') return 'boolean';
      const afterOperator =
        prev !== null &&
        (prev.kind === 'op' || (prev.kind === 'word' && ['contains', 'beginswith', 'endswith'].includes(prev.value.toLowerCase())));
      if (afterOperator) return 'value';
      if (FUNCTIONS.test(w)) return 'function';
      if (w === 'annotation' || w.startsWith('annotation.') || w === 'attribute' || w.startsWith('attribute.')) return 'annotation';
      if (KEYWORD_BY_NAME.has(w)) return 'keyword';
      if (/^[0-9a-f]{32}$/.test(w)) return 'traceid';
      return prev && (prev.kind === 'lparen' || prev.kind === 'comma' || prev.kind === 'colon') ? 'value' : 'unknown';
    }
    default:
      return 'punctuation';
  }
}
