import { useEffect, useMemo, useState } from 'react';
import { rangeFromParams, resolveRange, type TimeRange } from '../time/range';
import { useLocation } from './router';

/** Auto-refresh choices, seconds (0 = off); `refresh` in the URL. */
export const REFRESH_CHOICES = [0, 10, 30, 60, 300] as const;

/**
 * The page's time range from the URL, the window it means now, and a tick that advances on
 * auto-refresh (relative ranges move forward with it; custom ranges are re-queried).
 */
export function useTimeRange(): { range: TimeRange; window: { start: number; end: number }; refreshSeconds: number; tick: number } {
  const { params } = useLocation();
  const range = rangeFromParams(params);
  const refreshSeconds = Number(params.get('refresh') ?? 0) || 0;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!refreshSeconds) return;
    const id = setInterval(() => setTick((t) => t + 1), refreshSeconds * 1000);
    return () => clearInterval(id);
  }, [refreshSeconds]);
  const key = range.kind === 'relative' ? range.key : `${range.start}-${range.end}`;
  // The window changes with the range or the refresh tick, not with each render's new range object.
  const window = useMemo(() => resolveRange(range), [key, tick]);
  return { range, window, refreshSeconds, tick };
}
