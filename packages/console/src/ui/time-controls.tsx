import { useState } from 'react';
import { setParams } from '../app/router';
import { REFRESH_CHOICES } from '../app/use-time-range';
import { formatRange, fromInputValue, toInputValue, zoneName } from '../time/format';
import { MAX_WINDOW_SECONDS, rangeParams, RELATIVE, type RelativeKey, type TimeRange } from '../time/range';

/** Last 5 m … 24 h, or a custom range; writes the choice to the URL. */
export function TimeRangePicker({ range, window }: { range: TimeRange; window: { start: number; end: number } }) {
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const value = range.kind === 'relative' ? range.key : 'custom';
  const choose = (v: string) => {
    if (v === 'custom') {
      setCustom({ from: toInputValue(window.start), to: toInputValue(window.end) });
      return;
    }
    setCustom(null);
    setParams(rangeParams({ kind: 'relative', key: v as RelativeKey }));
  };
  const apply = () => {
    if (!custom) return;
    const start = fromInputValue(custom.from);
    const end = fromInputValue(custom.to);
    if (start === null || end === null) return setProblem('Enter both times.');
    if (end <= start) return setProblem('The end must be after the start.');
    if (end - start > MAX_WINDOW_SECONDS) return setProblem('Fluoro answers windows of at most 24 hours.');
    setProblem(null);
    setCustom(null);
    setParams(rangeParams({ kind: 'absolute', start, end }));
  };
  return (
    <div className="time-range">
      <label>
        <span className="visually-hidden">Time range</span>
        <select value={custom ? 'custom' : value} onChange={(e) => choose(e.target.value)} data-testid="time-range">
          {Object.entries(RELATIVE).map(([k, r]) => (
            <option key={k} value={k}>
              {r.label}
            </option>
          ))}
          <option value="custom">{range.kind === 'absolute' ? formatRange(range.start, range.end) : 'Custom…'}</option>
        </select>
      </label>
      {custom && (
        <form
          className="custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
        >
          <label>
            From ({zoneName()}){' '}
            <input type="datetime-local" step="1" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
          </label>
          <label>
            To ({zoneName()}){' '}
            <input type="datetime-local" step="1" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
          </label>
          <button type="submit">Apply</button>
          <button type="button" onClick={() => setCustom(null)}>
            Cancel
          </button>
          {problem && (
            <span className="field-problem" role="alert">
              {problem}
            </span>
          )}
        </form>
      )}
    </div>
  );
}

export function AutoRefresh({ seconds, loading }: { seconds: number; loading: boolean }) {
  return (
    <label className="auto-refresh">
      <span className={loading ? 'refresh-dot busy' : 'refresh-dot'} aria-hidden="true" />
      <span className="visually-hidden">Auto-refresh</span>
      <select
        value={seconds}
        onChange={(e) => setParams({ refresh: Number(e.target.value) || null }, { replace: true })}
        data-testid="auto-refresh"
      >
        {REFRESH_CHOICES.map((s) => (
          <option key={s} value={s}>
            {s === 0 ? 'Auto-refresh off' : `Refresh every ${s < 60 ? `${s} s` : `${s / 60} min`}`}
          </option>
        ))}
      </select>
    </label>
  );
}
