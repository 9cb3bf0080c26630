import { describe, expect, it } from 'vitest';
import { checkoutTrace } from '../../../../fixtures/console/compare.mjs';
import { buildTimeline, type Doc } from '../trace/timeline-model';
import { medianTrace, sameRequestFilter } from './typical-trace';

describe('a typical trace to compare with', () => {
  it('looks for the same request: the root segment’s URL and method, else its service', () => {
    const m = buildTimeline(checkoutTrace({ index: 1, start: 1_767_225_600 }).documents as Doc[]);
    expect(sameRequestFilter(m)).toBe('http.route = "/api/checkout" AND http.method = "POST"');
    const bare = buildTimeline([{ name: 'batch', id: 'b000000000000001', start_time: 10, end_time: 11 }]);
    expect(sameRequestFilter(bare)).toBe('service("batch")');
  });

  it('takes the median response time among the others (the lower middle of an even count)', () => {
    const s = (Id: string, ResponseTime?: number) => ({ Id, ...(ResponseTime === undefined ? {} : { ResponseTime }) });
    const list = [s('a', 0.3), s('b', 0.1), s('self', 0.2), s('c', 5), s('d', 0.2), s('e')];
    // Others with a response time: b 0.1, d 0.2, a 0.3, c 5 → the lower middle is d.
    expect(medianTrace(list, 'self')?.Id).toBe('d');
    expect(medianTrace([s('self', 1), s('x')], 'self')).toBeNull();
  });
});
