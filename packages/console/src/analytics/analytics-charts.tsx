import { useCallback, useMemo } from 'react';
import uPlot, { type Options } from 'uplot';
import type { StatsResponse } from '@fluoro/contracts';
import { useZone } from '../app/use-zone';
import { Chart, stepped, type Palette } from '../charts/chart';
import { formatTick, formatTime, zoneName } from '../time/format';
import { formatDuration } from '../time/range';
import { distributed, distributionSeries } from './chart-data';

/** Response-time distribution of set A (and B): % of traces per bucket. Drag to pick a range. */
export function DistributionChart({
  a,
  b,
  onRange,
}: {
  a: StatsResponse;
  b: StatsResponse | null;
  onRange(from: number, to: number): void;
}) {
  const { x, ys } = useMemo(
    () => distributionSeries([a, ...(b ? [b] : [])].map((s) => ({ buckets: s.responseTime.buckets, total: distributed(s) }))),
    [a, b],
  );
  const data = useMemo(() => [x, ...ys] as [number[], ...number[][]], [x, ys]);
  const comparing = b !== null;
  const options = useCallback(
    (_w: number, _h: number, p: Palette): Omit<Options, 'width' | 'height'> => ({
      legend: { show: comparing },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { stroke: p.muted, grid: { stroke: p.grid }, values: (_u, vals) => vals.map((v) => formatDuration(v)) },
        { stroke: p.muted, grid: { stroke: p.grid }, values: (_u, vals) => vals.map((v) => `${+v.toFixed(1)}%`), size: 50 },
      ],
      series: [
        { label: 'response time', value: (_u, v) => (v === null ? '' : formatDuration(v)) },
        {
          label: 'Set A',
          stroke: p.setA,
          fill: `${p.setA}40`,
          width: 1.5,
          paths: stepped(),
          points: { show: false },
          value: (_u, v) => (v === null ? '' : `${v.toFixed(1)}%`),
        },
        ...(comparing
          ? [
              {
                label: 'Set B',
                stroke: p.setB,
                fill: `${p.setB}30`,
                width: 1.5,
                paths: stepped(),
                points: { show: false },
                value: (_u: unknown, v: number | null) => (v === null ? '' : `${v.toFixed(1)}%`),
              },
            ]
          : []),
      ],
    }),
    [comparing],
  );
  if (x.length === 0) return <p className="muted">No trace with a response time matches.</p>;
  return <Chart label="Response time distribution" options={options} data={data} onSelectX={onRange} testId="distribution-chart" />;
}

/** Traces over time: set A's total, faults and errors (or A against B). Drag to pick a time range. */
export function ActivityChart({ a, b, onRange }: { a: StatsResponse; b: StatsResponse | null; onRange(from: number, to: number): void }) {
  const comparing = b !== null;
  const [zone] = useZone();
  const data = useMemo(() => {
    const x = a.timeSeries.map((p) => p.timestamp);
    if (comparing) {
      const bByT = new Map(b.timeSeries.map((p) => [p.timestamp, p.traces]));
      return [x, a.timeSeries.map((p) => p.traces), x.map((t) => bByT.get(t) ?? 0)] as [number[], number[], number[]];
    }
    return [
      x,
      a.timeSeries.map((p) => p.traces),
      a.timeSeries.map((p) => p.faults),
      a.timeSeries.map((p) => p.errors),
      a.timeSeries.map((p) => p.throttles),
    ] as [number[], ...number[][]];
  }, [a, b, comparing]);
  const options = useCallback(
    (_w: number, _h: number, p: Palette): Omit<Options, 'width' | 'height'> => {
      const time = {
        label: `Time (${zoneName(zone)})`,
        value: (_u: uPlot, t: number | null) => (t === null ? '' : formatTime(t, false, zone)),
      };
      return {
        legend: { show: true },
        // Ticks fall on whole minutes and hours of the zone shown, and read as the rest of the console does.
        ...(zone === 'utc' ? { tzDate: (t: number) => uPlot.tzDate(new Date(t * 1000), 'Etc/UTC') } : {}),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          {
            stroke: p.muted,
            grid: { stroke: p.grid },
            values: (_u, splits, _i, _space, step) => splits.map((t) => formatTick(t, step, zone)),
          },
          { stroke: p.muted, grid: { stroke: p.grid }, size: 50 },
        ],
        series: comparing
          ? [
              time,
              { label: 'Set A traces', stroke: p.setA, fill: `${p.setA}30`, width: 1.5, paths: stepped() },
              { label: 'Set B traces', stroke: p.setB, width: 1.5, paths: stepped() },
            ]
          : [
              time,
              { label: 'Traces', stroke: p.setA, fill: `${p.setA}30`, width: 1.5, paths: stepped() },
              { label: 'Faults', stroke: p.fault, width: 1.5, paths: stepped() },
              { label: 'Errors', stroke: p.error, width: 1.5, paths: stepped() },
              { label: 'Throttles', stroke: p.throttle, width: 1.5, paths: stepped() },
            ],
      };
    },
    [comparing, zone],
  );
  return <Chart label="Traces over time" options={options} data={data} onSelectX={onRange} testId="activity-chart" />;
}
