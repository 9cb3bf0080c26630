import { parseTraceId, toXrayTraceId } from '@fluoro/core';
import { useState, type FormEvent } from 'react';
import { getTraceSummaries } from '../api/fluoro';
import { navigate } from '../app/router';
import type { TimelineModel } from '../trace/timeline-model';
import { ErrorState } from '../ui/states';
import { comparePath } from './compare-path';
import { formatRatio, LEVEL_BOUNDS, typicalWindow, WINDOWS } from './typical-model';
import { medianTrace, sameRequestFilter } from './typical-trace';
import type { Typical } from './use-typical';

/**
 * The trace page's compare controls: "Compare with typical" (each span against its operation's
 * p50 and p95 in a window around the trace, marked on the timeline), and a compare with another
 * trace, pasted or picked as a typical one of the same request.
 */
export function CompareBar({
  id,
  model,
  selectedId,
  typical,
  onSelect,
}: {
  id: string;
  model: TimelineModel;
  selectedId: string | null;
  typical: Typical;
  onSelect(spanId: string): void;
}) {
  const slowCount = typical.verdicts ? [...typical.verdicts.values()].filter((v) => v.aboveP95).length : 0;
  const selected = selectedId ? model.spans.get(selectedId) : undefined;
  const verdict = selectedId ? typical.verdicts?.get(selectedId) : undefined;
  const slowest = typical.slowest ? model.spans.get(typical.slowest) : undefined;
  return (
    <section className="panel compare-bar" aria-label="Compare" data-testid="compare-bar">
      <div className="compare-row">
        <button type="button" className="compare-toggle" aria-pressed={typical.on} onClick={typical.toggle} data-testid="compare-typical">
          Compare with typical
        </button>
        {typical.on && (
          <label className="small">
            spans of each operation in{' '}
            <select value={typical.windowIndex} onChange={(e) => typical.setWindow(Number(e.target.value))} data-testid="typical-window">
              {WINDOWS.map((w, i) => (
                <option key={w.seconds} value={i}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {typical.on && typical.loading && !typical.verdicts && <span className="muted small">Asking for the operations’ durations…</span>}
        {typical.on && typical.verdicts && (
          <span className="small" data-testid="typical-summary" role="status">
            {slowCount === 0 ? (
              'No span is slower than the p95 of its operation.'
            ) : (
              <>
                {slowCount} span{slowCount === 1 ? ' is' : 's are'} slower than the p95 of their operation
                {slowest && (
                  <>
                    {'; the slowest hop: '}
                    <button type="button" className="link-button" onClick={() => onSelect(slowest.id)} data-testid="typical-slowest">
                      {slowest.name} ({formatRatio(typical.verdicts.get(slowest.id)!.ratio ?? 1)} p50)
                    </button>
                  </>
                )}
              </>
            )}
          </span>
        )}
        {typical.on && typical.verdicts && <TypicalLegend />}
        <OtherTrace id={id} model={model} />
      </div>
      {typical.on && typical.error && <ErrorState error={typical.error} retry={typical.reload} />}
      {typical.on && typical.verdicts && selected && (
        <p className="small compare-line" data-testid="typical-line">
          <strong>{selected.name}</strong>:{' '}
          {verdict
            ? `${verdict.line} · ${verdict.count} span${verdict.count === 1 ? '' : 's'} of this operation in ${WINDOWS[typical.windowIndex]!.label}`
            : selected.end === null
              ? 'in progress: nothing to compare yet.'
              : `no completed span of this operation in ${WINDOWS[typical.windowIndex]!.label}.`}
        </p>
      )}
    </section>
  );
}

function TypicalLegend() {
  const labels = [`< ${LEVEL_BOUNDS[0]}×`, '≈ 1×', `≥ ${LEVEL_BOUNDS[1]}×`, `≥ ${LEVEL_BOUNDS[2]}×`, `≥ ${LEVEL_BOUNDS[3]}×`];
  return (
    <span className="legend-inline small compare-legend">
      <span>Bars: duration against the operation’s p50</span>
      {labels.map((l, i) => (
        <span key={l}>
          <span className={`cmp-swatch cmp-r${i}`} aria-hidden="true" /> {l}
        </span>
      ))}
      <span>
        <span className="cmp-badge">&gt; p95</span> slower than its p95
      </span>
    </span>
  );
}

/** Another trace to compare with: pasted, or the median one of the same request around this one. */
function OtherTrace({ id, model }: { id: string; model: TimelineModel }) {
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const filter = sameRequestFilter(model);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const hex = parseTraceId(text.trim());
    if (!hex) {
      setMessage(`"${text.trim()}" is not a trace ID (1-5759e988-bd862e3fe1be46a994272793, or 32 hex digits).`);
      return;
    }
    navigate(comparePath(id, toXrayTraceId(hex)));
  };
  const pickTypical = async () => {
    if (!filter) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await getTraceSummaries(typicalWindow(model), filter, undefined);
      const other = medianTrace(r.TraceSummaries ?? [], id);
      if (other?.Id) navigate(comparePath(id, other.Id));
      else setMessage(`No other trace matching ${filter} in the hour around this one.`);
    } catch (err) {
      setMessage((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="compare-other" onSubmit={submit} data-testid="compare-other">
      <label className="small" htmlFor="compare-other-id">
        Compare with trace
      </label>
      <input
        id="compare-other-id"
        className="mono"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setMessage(null);
        }}
        placeholder="another trace ID"
        aria-describedby="compare-other-message"
        data-testid="compare-other-id"
      />
      <button type="submit" disabled={!text.trim()}>
        Compare
      </button>
      {filter && (
        <button
          type="button"
          onClick={() => void pickTypical()}
          disabled={busy}
          title={`The trace of median response time among those matching ${filter} in the hour around this one`}
          data-testid="compare-median"
        >
          {busy ? 'Looking…' : 'Compare with a typical one'}
        </button>
      )}
      <span id="compare-other-message" className="small compare-message" role="status" data-testid="compare-other-message">
        {message}
      </span>
    </form>
  );
}
