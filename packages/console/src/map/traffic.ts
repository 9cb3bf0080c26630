import type { GetTimeSeriesServiceStatisticsResult } from '@fluoro/contracts';
import { post } from '../api/client';
import type { Window } from '../api/fluoro';

/**
 * The minutes of `w` (their start, epoch s) in which any request entered the system: X-Ray's
 * GetTimeSeriesServiceStatistics without an entity selector, per minute, which leaves out the
 * minutes without requests. The map averages rates over these instead of over the whole window
 * (a shop started ten minutes ago is not at a sixth of its rate in a one-hour window). Fluoro
 * answers the series in one page.
 */
export async function trafficMinutes(w: Window, signal?: AbortSignal): Promise<Set<number>> {
  const r = await post<GetTimeSeriesServiceStatisticsResult>(
    'GetTimeSeriesServiceStatistics',
    '/TimeSeriesServiceStatistics',
    { StartTime: w.start, EndTime: w.end, Period: 60 },
    signal,
  );
  const minutes = new Set<number>();
  for (const p of r.TimeSeriesServiceStatistics ?? []) {
    const total = p.EdgeSummaryStatistics?.TotalCount ?? p.ServiceSummaryStatistics?.TotalCount ?? 0;
    if (p.Timestamp !== undefined && total > 0) minutes.add(Math.floor(p.Timestamp / 60) * 60);
  }
  return minutes;
}
