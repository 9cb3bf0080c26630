import { lineColumn } from './lexer.js';

/** Stable codes for what can be wrong with a filter expression. */
export type FilterErrorCode =
  | 'InvalidToken'
  | 'UnexpectedToken'
  | 'UnexpectedEnd'
  | 'InvalidJson'
  | 'UnknownKeyword'
  | 'NotAllowedHere'
  | 'InvalidOperator'
  | 'InvalidValue'
  | 'Unsupported'
  /** Longer, deeper or with more terms than `FILTER_LIMITS` allows. */
  | 'TooLarge';

/** A problem at a place in the expression. `message` has no position; `describe` adds it. */
export interface FilterDiagnostic {
  readonly code: FilterErrorCode;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export function diagnostic(input: string, code: FilterErrorCode, message: string, start: number, end: number): FilterDiagnostic {
  const { line, column } = lineColumn(input, start);
  return { code, message, start, end: Math.max(end, start), line, column };
}

/** `1:17: expected a number after '>' but found "fast"` */
export function describeDiagnostic(d: FilterDiagnostic): string {
  return `${d.line}:${d.column}: ${d.message}`;
}
