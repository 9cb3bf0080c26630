import { and, byName, compare, keyword, print, service, urlRoute } from '@fluoro/core';
import type { TraceSummary } from '../api/xray-types';
import type { TimelineModel } from '../trace/timeline-model';

/**
 * The other side of a two-trace compare when a person has none in mind: a trace of the same
 * request (the root segment's method and URL path, IDs as `{id}`; without a URL, the root service) whose response
 * time is the median of those found.
 */

/** The filter expression for traces of the same request as this one's root, or null without a root. */
export function sameRequestFilter(model: TimelineModel): string | null {
  const root = model.root;
  if (!root) return null;
  const http = root.doc.http as { request?: { method?: unknown; url?: unknown } } | undefined;
  const url = typeof http?.request?.url === 'string' ? http.request.url : null;
  const method = typeof http?.request?.method === 'string' ? http.request.method : null;
  if (!url) return print(service(byName(root.name)));
  const byUrl = compare(keyword('http.route'), '=', urlRoute(url));
  return print(method ? and(byUrl, compare(keyword('http.method'), '=', method)) : byUrl);
}

/** The summary of median response time (the lower middle of an even count) other than `exclude`, or null. */
export function medianTrace(summaries: readonly TraceSummary[], exclude: string): TraceSummary | null {
  const timed = summaries
    .filter((s) => s.Id && s.Id !== exclude && typeof s.ResponseTime === 'number')
    .sort((a, b) => a.ResponseTime! - b.ResponseTime! || (a.Id! < b.Id! ? -1 : 1));
  return timed.length === 0 ? null : timed[Math.floor((timed.length - 1) / 2)]!;
}
