import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../api/xray-types';
import { outcome, parseSort, rootCauseOf, shownRootCause, slowFrom, sortSummaries } from './summary-fields';

const s = (id: string, rt: number, extra: Partial<TraceSummary> = {}): TraceSummary => ({
  Id: id,
  ResponseTime: rt,
  StartTime: 100 - rt,
  ...extra,
});

describe('trace summary fields', () => {
  it('sorts by any column, stably, in either direction', () => {
    const list = [s('a', 0.5), s('b', 2), s('c', 0.5), s('d', 1)];
    expect(sortSummaries(list, 'responseTime', 'desc').map((x) => x.Id)).toEqual(['b', 'd', 'a', 'c']);
    expect(sortSummaries(list, 'responseTime', 'asc').map((x) => x.Id)).toEqual(['a', 'c', 'd', 'b']);
    expect(sortSummaries(list, 'id', 'asc').map((x) => x.Id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads the sort from the URL, newest first by default', () => {
    expect(parseSort(null)).toEqual({ column: 'time', dir: 'desc' });
    expect(parseSort('duration:asc')).toEqual({ column: 'duration', dir: 'asc' });
    expect(parseSort('bogus:asc')).toEqual({ column: 'time', dir: 'asc' });
  });

  it('names the root-cause service: fault before error before response time', () => {
    const path = (name: string) => [{ Services: [{ Name: 'front' }, { Name: name, EntityPath: [{ Name: `${name}-op` }] }] }];
    expect(rootCauseOf(s('x', 1, { FaultRootCauses: path('db'), ResponseTimeRootCauses: path('slow') }))).toEqual({
      service: 'db',
      kind: 'fault',
      entity: 'db-op',
    });
    expect(rootCauseOf(s('x', 1, { ResponseTimeRootCauses: path('slow') }))?.kind).toBe('responsetime');
    expect(rootCauseOf(s('x', 1))).toBeNull();
    expect(outcome(s('x', 1, { HasError: true, HasThrottle: true }))).toBe('throttle');
  });

  it('shows a response-time root cause only on the slowest tenth of the list; a fault’s always', () => {
    const path = [{ Services: [{ Name: 'db' }] }];
    const list = Array.from({ length: 20 }, (_, i) => s(`t${i}`, (i + 1) / 10, { ResponseTimeRootCauses: path }));
    expect(slowFrom(list)).toBe(1.9);
    expect(slowFrom([])).toBe(Infinity);
    const slow = slowFrom(list);
    expect(shownRootCause(list[19]!, slow)?.kind).toBe('responsetime');
    expect(shownRootCause(list[18]!, slow)?.kind).toBe('responsetime');
    expect(shownRootCause(list[17]!, slow)).toBeNull();
    expect(shownRootCause(s('f', 0.006, { FaultRootCauses: path }), slow)?.kind).toBe('fault');
  });
});
