import type { KeyboardEvent } from 'react';

export interface SpanSearchBoxProps {
  value: string;
  onChange(value: string): void;
  /** How many spans match. */
  count: number;
  /** Which of them is the current one (0-based), or -1 when the selection is not a match. */
  current: number;
  onStep(dir: 1 | -1): void;
}

/** The trace page's search box: "3 of 17", next and previous, Enter and Shift+Enter. */
export function SpanSearchBox({ value, onChange, count, current, onStep }: SpanSearchBoxProps) {
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') onStep(e.shiftKey ? -1 : 1);
    else if (e.key === 'Escape' && value) onChange('');
    else return;
    e.preventDefault();
  };
  const status = !value.trim()
    ? ''
    : count === 0
      ? 'No match'
      : current >= 0
        ? `${current + 1} of ${count}`
        : `${count} match${count === 1 ? '' : 'es'}`;
  return (
    <div className="span-search" role="search" data-testid="span-search">
      <input
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Find spans: name, service, fault, tier=gold…"
        aria-label="Find spans in this trace"
        aria-describedby="span-search-count"
        spellCheck={false}
        data-testid="span-search-input"
      />
      <span
        id="span-search-count"
        className={`muted small span-search-count${value && count === 0 ? ' none' : ''}`}
        aria-live="polite"
        data-testid="span-search-count"
      >
        {status}
      </span>
      <button
        type="button"
        onClick={() => onStep(-1)}
        disabled={count === 0}
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
      >
        ↑
      </button>
      <button type="button" onClick={() => onStep(1)} disabled={count === 0} aria-label="Next match" title="Next match (Enter)">
        ↓
      </button>
    </div>
  );
}
