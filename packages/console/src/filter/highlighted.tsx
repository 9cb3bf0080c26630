import type { HighlightToken } from '@fluoro/core';
import type { ReactNode } from 'react';

export interface Diagnostic {
  message: string;
  line: number;
  column: number;
  start: number;
  end: number;
}

/**
 * The highlight layer under the transparent textarea: the same characters, coloured by token
 * class, with the diagnostic's range underlined. It must keep every character in place, so it
 * renders the text exactly and only wraps ranges in spans.
 */
export function Highlighted({
  text,
  tokens,
  diagnostic,
}: {
  text: string;
  tokens: readonly HighlightToken[];
  diagnostic: Diagnostic | null;
}) {
  // Cut points: token edges and the diagnostic's edges.
  const cuts = new Set<number>([0, text.length]);
  for (const t of tokens) {
    cuts.add(t.start);
    cuts.add(t.end);
  }
  if (diagnostic) {
    cuts.add(Math.min(diagnostic.start, text.length));
    cuts.add(Math.min(diagnostic.end, text.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const classAt = (i: number) => tokens.find((t) => t.start <= i && i < t.end)?.class;
  const out: ReactNode[] = [];
  const diagStart = diagnostic ? Math.min(diagnostic.start, text.length) : -1;
  const diagEnd = diagnostic ? Math.min(diagnostic.end, text.length) : -1;
  let inDiag: ReactNode[] | null = null;
  for (let k = 0; k < points.length - 1; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    if (a === diagStart && diagEnd > diagStart) inDiag = [];
    const cls = classAt(a);
    const piece = cls ? (
      <span key={a} className={`tok tok-${cls}`}>
        {text.slice(a, b)}
      </span>
    ) : (
      text.slice(a, b)
    );
    (inDiag ?? out).push(piece);
    if (inDiag && b === diagEnd) {
      out.push(
        <mark key={`d${a}`} className="diag-mark" data-testid="diagnostic-mark">
          {inDiag}
        </mark>,
      );
      inDiag = null;
    }
    if (diagnostic && diagEnd === diagStart && b === diagStart)
      out.push(<mark key="point" className="diag-point" data-testid="diagnostic-mark" />);
  }
  if (diagnostic && diagEnd === diagStart && diagStart === 0)
    out.unshift(<mark key="point0" className="diag-point" data-testid="diagnostic-mark" />);
  return (
    <pre className="filter-highlight" aria-hidden="true">
      {out}
      {'\n'}
    </pre>
  );
}
