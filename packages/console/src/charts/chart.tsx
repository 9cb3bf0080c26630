import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTheme } from '../app/context';

/** The theme's colours for charts, read from the CSS variables of the page. */
export interface Palette {
  fg: string;
  muted: string;
  grid: string;
  ok: string;
  error: string;
  fault: string;
  throttle: string;
  accent: string;
  setA: string;
  setB: string;
}

function palette(): Palette {
  const s = getComputedStyle(document.documentElement);
  const v = (n: string) => s.getPropertyValue(n).trim();
  return {
    fg: v('--fg'),
    muted: v('--muted'),
    grid: v('--grid'),
    ok: v('--ok'),
    error: v('--error'),
    fault: v('--fault'),
    throttle: v('--throttle'),
    accent: v('--accent'),
    setA: v('--set-a'),
    setB: v('--set-b'),
  };
}

export interface ChartProps {
  /** Builds uPlot options for a size and palette (axes, series, scales). */
  options(width: number, height: number, p: Palette): Omit<Options, 'width' | 'height'>;
  data: AlignedData;
  height?: number;
  /** Called with the x range a user dragged across (in x-scale units). */
  onSelectX?(from: number, to: number): void;
  testId?: string;
  label: string;
}

/**
 * A uPlot chart sized to its container. Dragging across it selects an x range (reported through
 * `onSelectX`, then cleared) instead of zooming, so each chart can turn a drag into a filter.
 */
export function Chart({ options, data, height = 220, onSelectX, testId, label }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const onSelect = useRef(onSelectX);
  onSelect.current = onSelectX;
  const theme = useTheme();

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(200, el.clientWidth);
    const built = options(width, height, palette());
    const u = new uPlot(
      {
        ...built,
        width,
        height,
        cursor: { ...built.cursor, drag: { x: true, y: false, setScale: false } },
        hooks: {
          ...built.hooks,
          setSelect: [
            (self: uPlot) => {
              if (self.select.width < 3) return;
              const from = self.posToVal(self.select.left, 'x');
              const to = self.posToVal(self.select.left + self.select.width, 'x');
              self.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              onSelect.current?.(from, to);
            },
          ],
        },
      },
      data,
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(w - u.width) > 1) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt when the theme or the data's shape changes; new data alone goes through setData.
  }, [theme, height, data.length, options]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={host} className="chart" data-testid={testId} role="img" aria-label={label} />;
}

/** Bars for uPlot series (histograms). */
export const bars = (): uPlot.Series.PathBuilder => uPlot.paths.bars!({ size: [0.92, 60], align: 1 });
export const stepped = (): uPlot.Series.PathBuilder => uPlot.paths.stepped!({ align: 1 });
