import { useCallback, useMemo } from 'react';
import type { Options } from 'uplot';
import type { Bin } from '../map/graph-model';
import { formatDuration } from '../time/range';
import { bars, Chart, type Palette } from './chart';

/**
 * A response-time histogram: bins of seconds on x, % of requests on y. Drag across it to pick a
 * latency range; the chosen range is shaded.
 */
export function Histogram({
  bins,
  range,
  onRange,
  testId = 'histogram',
  label = 'Response-time distribution',
}: {
  bins: Bin[];
  range: readonly [number, number] | null;
  onRange(r: [number, number]): void;
  testId?: string;
  label?: string;
}) {
  const total = bins.reduce((s, b) => s + b.count, 0);
  const data = useMemo(
    () =>
      [
        bins.map((b) => b.start),
        bins.map((b) => (total ? (b.count / total) * 100 : 0)),
        bins.map((b) => (range && b.start < range[1] && b.end > range[0] ? (total ? (b.count / total) * 100 : 0) : null)),
      ] as [number[], number[], Array<number | null>],
    [bins, total, range],
  );
  const options = useCallback(
    (_w: number, _h: number, p: Palette): Omit<Options, 'width' | 'height'> => ({
      legend: { show: false },
      scales: {
        x: { time: false, range: (_u, min, max) => [min, max + (bins[0] ? bins[0].end - bins[0].start : 0)] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        { stroke: p.muted, grid: { stroke: p.grid }, values: (_u, vals) => vals.map((v) => formatDuration(v)) },
        { stroke: p.muted, grid: { stroke: p.grid }, values: (_u, vals) => vals.map((v) => `${+v.toFixed(1)}%`), size: 48 },
      ],
      series: [
        {},
        { label: '% of requests', fill: `${p.accent}66`, stroke: p.accent, paths: bars(), points: { show: false } },
        { label: 'selected', fill: `${p.accent}`, stroke: p.accent, paths: bars(), points: { show: false } },
      ],
    }),
    [bins],
  );
  if (bins.length === 0) return <p className="muted">No requests in this range.</p>;
  const width = bins[0] ? bins[0].end - bins[0].start : 0.001;
  return (
    <div className="histogram" data-testid={testId} data-total={total} data-bins={bins.length}>
      <Chart
        label={label}
        options={options}
        data={data}
        height={160}
        onSelectX={(from, to) => {
          // Snap to whole bins so the filter matches what the bars show.
          const a = Math.max(0, Math.floor(from / width) * width);
          const b = Math.ceil(to / width) * width;
          onRange([a, b]);
        }}
      />
    </div>
  );
}
